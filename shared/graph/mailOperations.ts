import type { GraphRequester, RequestOptions } from './client';
import type { DeltaResult } from './delta';
import { GraphAccessError } from './errors';
import { parseEach, parseGraph } from './parse';
import {
  attachmentSchema,
  type GraphAttachment,
  type GraphMessage,
  type MailFolder,
  mailFolderSchema,
  messageSchema,
} from './schemas';

/** Ids that survive moves between folders (learn: graph/outlook-immutable-id). */
export const IMMUTABLE_ID = 'IdType="ImmutableId"';

const WELL_KNOWN_FOLDERS = new Set(['inbox', 'sentitems', 'deleteditems', 'drafts', 'archive', 'junkemail']);

export interface OutgoingMail {
  readonly subject: string;
  readonly body: { readonly contentType: 'text' | 'html'; readonly content: string };
  readonly toRecipients: readonly { readonly emailAddress: { readonly address: string; readonly name?: string } }[];
  readonly ccRecipients?: readonly { readonly emailAddress: { readonly address: string; readonly name?: string } }[];
  readonly internetMessageHeaders?: readonly { readonly name: string; readonly value: string }[];
}

export interface MailOperations {
  listMailFolders(mailbox: string): Promise<MailFolder[]>;
  /** The folder with this display name (or well-known name such as `inbox`), created when missing. */
  ensureMailFolder(mailbox: string, displayName: string): Promise<MailFolder>;
  messagesDelta(
    mailbox: string,
    folderId: string,
    options?: { deltaLink?: string; select?: readonly string[]; maxPageSize?: number },
  ): Promise<DeltaResult<GraphMessage>>;
  listMessagesReceivedSince(
    mailbox: string,
    folderId: string,
    sinceIso: string,
    options?: { select?: readonly string[] },
  ): Promise<GraphMessage[]>;
  getMessage(mailbox: string, messageId: string, options?: { select?: readonly string[] }): Promise<GraphMessage>;
  listAttachments(mailbox: string, messageId: string): Promise<GraphAttachment[]>;
  /** Returns the moved message (same id, as immutable ids are requested). */
  moveMessage(mailbox: string, messageId: string, destinationId: string): Promise<GraphMessage>;
  markRead(mailbox: string, messageId: string): Promise<void>;
  sendMail(mailbox: string, message: OutgoingMail, options?: { saveToSentItems?: boolean }): Promise<void>;
}

export function mailOperations(graph: GraphRequester): MailOperations {
  const t = graph.tenantId;
  const base = (mailbox: string) => `/users/${encodeURIComponent(mailbox)}`;
  const opts = (
    mailbox: string,
    operation: string,
    permission: string,
    extra: RequestOptions = {},
  ): RequestOptions => ({
    ...extra,
    headers: { Prefer: IMMUTABLE_ID, ...(extra.headers ?? {}) },
    context: { operation, permission, mailbox },
  });
  const folderPath = (mailbox: string, folderId: string) =>
    `${base(mailbox)}/mailFolders/${encodeURIComponent(folderId)}`;

  const ops: MailOperations = {
    async listMailFolders(mailbox) {
      const values = await graph.getAll(
        `${base(mailbox)}/mailFolders`,
        opts(mailbox, 'listMailFolders', 'Mail.ReadWrite', { top: 100 }),
      );
      return parseEach(mailFolderSchema, values, 'mailFolders', t);
    },
    async ensureMailFolder(mailbox, displayName) {
      if (WELL_KNOWN_FOLDERS.has(displayName.toLowerCase())) {
        const value = await graph.get(
          folderPath(mailbox, displayName.toLowerCase()),
          opts(mailbox, 'ensureMailFolder', 'Mail.ReadWrite'),
        );
        return parseGraph(mailFolderSchema, value, 'mailFolders', t);
      }
      const find = async () =>
        (await ops.listMailFolders(mailbox)).find((f) => f.displayName.toLowerCase() === displayName.toLowerCase());
      const existing = await find();
      if (existing) return existing;
      try {
        const created = await graph.post(
          `${base(mailbox)}/mailFolders`,
          { displayName },
          opts(mailbox, 'ensureMailFolder', 'Mail.ReadWrite'),
        );
        return parseGraph(mailFolderSchema, created, 'mailFolders', t);
      } catch (error) {
        // Another scan created it at the same time.
        if (error instanceof GraphAccessError && error.graphCode === 'ErrorFolderExists') {
          const raced = await find();
          if (raced) return raced;
        }
        throw error;
      }
    },
    messagesDelta(mailbox, folderId, options = {}) {
      const prefer = [IMMUTABLE_ID, ...(options.maxPageSize ? [`odata.maxpagesize=${options.maxPageSize}`] : [])];
      return graph.delta(options.deltaLink ?? `${folderPath(mailbox, folderId)}/messages/delta`, {
        ...(options.select ? { select: options.select } : {}),
        headers: { Prefer: prefer.join(', ') },
        parse: (value) => parseGraph(messageSchema, value, 'messages/delta', t),
        context: { operation: 'messagesDelta', permission: 'Mail.ReadWrite', mailbox },
      });
    },
    async listMessagesReceivedSince(mailbox, folderId, sinceIso, options = {}) {
      const values = await graph.getAll(
        `${folderPath(mailbox, folderId)}/messages`,
        opts(mailbox, 'listMessagesReceivedSince', 'Mail.ReadWrite', {
          filter: `receivedDateTime ge ${sinceIso}`,
          orderby: 'receivedDateTime desc',
          top: 100,
          ...(options.select ? { select: options.select } : {}),
        }),
      );
      return parseEach(messageSchema, values, 'messages', t);
    },
    async getMessage(mailbox, messageId, options = {}) {
      const value = await graph.get(
        `${base(mailbox)}/messages/${encodeURIComponent(messageId)}`,
        opts(mailbox, 'getMessage', 'Mail.ReadWrite', options.select ? { select: options.select } : {}),
      );
      return parseGraph(messageSchema, value, 'message', t);
    },
    async listAttachments(mailbox, messageId) {
      const values = await graph.getAll(
        `${base(mailbox)}/messages/${encodeURIComponent(messageId)}/attachments`,
        opts(mailbox, 'listAttachments', 'Mail.ReadWrite'),
      );
      return parseEach(attachmentSchema, values, 'attachments', t);
    },
    async moveMessage(mailbox, messageId, destinationId) {
      const value = await graph.post(
        `${base(mailbox)}/messages/${encodeURIComponent(messageId)}/move`,
        { destinationId },
        opts(mailbox, 'moveMessage', 'Mail.ReadWrite'),
      );
      return parseGraph(messageSchema, value, 'move', t);
    },
    async markRead(mailbox, messageId) {
      await graph.patch(
        `${base(mailbox)}/messages/${encodeURIComponent(messageId)}`,
        { isRead: true },
        opts(mailbox, 'markRead', 'Mail.ReadWrite'),
      );
    },
    async sendMail(mailbox, message, options = {}) {
      await graph.post(
        `${base(mailbox)}/sendMail`,
        { message, saveToSentItems: options.saveToSentItems ?? true },
        opts(mailbox, 'sendMail', 'Mail.Send'),
      );
    },
  };
  return ops;
}
