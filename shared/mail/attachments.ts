import { z } from 'zod';

/** An attachment as `GET …/messages/{id}/attachments` lists it (contentBytes may be left out of a listing). */
export const graphAttachmentSchema = z.looseObject({
  '@odata.type': z.string().optional(),
  id: z.string().min(1),
  name: z.string().nullish(),
  contentType: z.string().nullish(),
  size: z.number().int().nonnegative().nullish(),
  isInline: z.boolean().nullish(),
  contentId: z.string().nullish(),
  contentBytes: z.string().nullish(),
});
export type GraphAttachment = z.infer<typeof graphAttachmentSchema>;

export type AttachmentSkipReason = 'notAFile' | 'inline' | 'tooLarge' | 'totalLimit';

export interface AttachmentSelection {
  add: GraphAttachment[];
  skip: { id: string; name: string; reason: AttachmentSkipReason; detail: string }[];
  totalBytes: number;
}

const FILE_TYPE = '#microsoft.graph.fileAttachment';

/**
 * Which attachments go onto the ticket, in message order, keeping the total at or under `maxBytes`. Attached
 * messages and links (item/reference attachments) are not files. Inline images (signature logos, pasted
 * screenshots) are skipped unless `includeInline`; the body keeps a text marker for them.
 */
export function selectAttachments(
  list: readonly GraphAttachment[],
  maxBytes: number,
  options: { includeInline?: boolean } = {},
): AttachmentSelection {
  const selection: AttachmentSelection = { add: [], skip: [], totalBytes: 0 };
  for (const attachment of list) {
    const name = attachment.name?.trim() || attachment.id;
    const size = attachment.size ?? 0;
    const type = attachment['@odata.type'];
    const skip = (reason: AttachmentSkipReason, detail: string) => {
      selection.skip.push({ id: attachment.id, name, reason, detail });
    };
    if (type !== undefined && type.toLowerCase() !== FILE_TYPE.toLowerCase()) {
      skip('notAFile', `${type.replace('#microsoft.graph.', '')} is not a file`);
    } else if (attachment.isInline && !options.includeInline) {
      skip('inline', 'inline image');
    } else if (size > maxBytes) {
      skip('tooLarge', `${size} bytes is over the ${maxBytes}-byte limit`);
    } else if (selection.totalBytes + size > maxBytes) {
      skip('totalLimit', `would bring the total to ${selection.totalBytes + size} bytes, over ${maxBytes}`);
    } else {
      selection.add.push(attachment);
      selection.totalBytes += size;
    }
  }
  return selection;
}
