import { z } from 'zod';
import { haloId, optionalId, optionalText } from './common';

export const attachmentSchema = z.looseObject({
  id: haloId,
  filename: optionalText,
  ticket_id: optionalId,
  action_id: optionalId,
  filesize: z.number().nullish(),
  note: optionalText,
});

export type HaloAttachment = z.infer<typeof attachmentSchema>;

/** A file to attach to a ticket (or one of its actions), sent inline as base64. */
export interface AttachmentDraft {
  ticket_id: number;
  action_id?: number;
  filename: string;
  /** The file content; sent as `data_base64`. */
  content: Uint8Array | string;
  note?: string;
}
