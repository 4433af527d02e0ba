import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';

/** `{ emailAddress: { name, address } }` as Graph writes senders and recipients. Either part may be missing. */
export const graphRecipientSchema = z.looseObject({
  emailAddress: z
    .looseObject({
      name: z.string().nullish(),
      address: z.string().nullish(),
    })
    .nullish(),
});

export const graphItemBodySchema = z.looseObject({
  contentType: z.string().nullish(),
  content: z.string().nullish(),
});

export const internetMessageHeaderSchema = z.looseObject({ name: z.string(), value: z.string().nullish() });

/** Graph's own samples send booleans as strings at times (`"isRead": "true"` in a messages delta). */
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean().nullish(),
);

/**
 * The parts of a Graph `message` the mailbox scan reads. Loose on purpose: Graph adds properties over time and a
 * message missing an optional part (no sender, no subject) is still a message the rules must classify.
 */
export const graphMessageSchema = z.looseObject({
  id: z.string().min(1),
  internetMessageId: z.string().nullish(),
  conversationId: z.string().nullish(),
  subject: z.string().nullish(),
  from: graphRecipientSchema.nullish(),
  sender: graphRecipientSchema.nullish(),
  toRecipients: z.array(graphRecipientSchema).nullish(),
  ccRecipients: z.array(graphRecipientSchema).nullish(),
  replyTo: z.array(graphRecipientSchema).nullish(),
  body: graphItemBodySchema.nullish(),
  uniqueBody: graphItemBodySchema.nullish(),
  bodyPreview: z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  hasAttachments: flag,
  internetMessageHeaders: z.array(internetMessageHeaderSchema).nullish(),
  parentFolderId: z.string().nullish(),
});

export type GraphRecipient = z.infer<typeof graphRecipientSchema>;
export type GraphItemBody = z.infer<typeof graphItemBodySchema>;
export type GraphMessage = z.infer<typeof graphMessageSchema>;

/**
 * The `$select` the scanner requests on the messages delta query. `uniqueBody` and `internetMessageHeaders` are
 * only returned when selected, and the ignore rules and quote trimming need them.
 */
export const MESSAGE_SELECT_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'subject',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'replyTo',
  'body',
  'uniqueBody',
  'bodyPreview',
  'receivedDateTime',
  'hasAttachments',
  'internetMessageHeaders',
  'parentFolderId',
] as const;

export const MESSAGE_SELECT = MESSAGE_SELECT_FIELDS.join(',');

/** What classification needs; a delta item missing any of them is partial and must be fetched in full first. */
const NEEDED = ['receivedDateTime', 'subject', 'body'] as const;

/**
 * Whether a delta item is a partial one: on update rounds Graph may send only `id`, `isRead` and
 * `parentFolderId`. Classified as it is, it would look like mail without a sender.
 */
export function isPartialMessage(item: Readonly<Record<string, unknown>>): boolean {
  return NEEDED.some((key) => !(key in item)) || !('from' in item || 'sender' in item);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Validates one message from a delta page; problems name the JSON path (`$.from.emailAddress.address: …`). */
export function parseGraphMessage(input: unknown): ParseResult<GraphMessage> {
  const parsed = graphMessageSchema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: formatIssues(parsed.error, '$') };
}

/** The address of a recipient, trimmed and lower-cased; undefined when empty. */
export function addressOf(recipient: GraphRecipient | null | undefined): string | undefined {
  const address = recipient?.emailAddress?.address?.trim().toLowerCase();
  return address ? address : undefined;
}

/** The author: `from`, or `sender` when `from` has no address. */
export function senderAddress(message: GraphMessage): string | undefined {
  return addressOf(message.from) ?? addressOf(message.sender);
}

export function senderName(message: GraphMessage): string | undefined {
  const name = (message.from?.emailAddress?.name ?? message.sender?.emailAddress?.name)?.trim();
  return name ? name : undefined;
}

/** `Name <address>` or just the address, for logs and Halo's "reported by". */
export function displaySender(message: GraphMessage): string {
  const address = senderAddress(message) ?? '(no sender)';
  const name = senderName(message);
  return name && name.toLowerCase() !== address ? `${name} <${address}>` : address;
}
