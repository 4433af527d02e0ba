import { type BatchItemOutcome, batchItems } from './batchItems';
import type { GraphRequester, RequestOptions } from './client';
import { type DeltaRemoved, splitDeltaValues } from './delta';
import { GraphAccessError } from './errors';
import { type ItemParser, parseEach, parseGraph, type SkippedItem } from './parse';
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
  /**
   * One page of a folder's messages delta: the round's first page (optionally only mail received since a time, at
   * most 5,000 messages) or the page behind a stored nextLink/deltaLink. Items come raw, each with a string id
   * (the mail rules validate them, and fetch partial ones in full); anything without one is skipped with the
   * reason. A link Graph no longer accepts throws DeltaResyncRequiredError.
   */
  messagesDeltaPage(mailbox: string, folderId: string, options: MessagesDeltaPageOptions): Promise<MessagesDeltaPage>;
  /** Several messages in full, through `$batch` (20 per request). 404 = the message is gone. */
  getMessages(
    mailbox: string,
    messageIds: readonly string[],
    options?: { select?: readonly string[] },
  ): Promise<Map<string, BatchItemOutcome>>;
  /** Moves several messages through `$batch` (20 per request); each keeps its id (immutable ids). */
  moveMessages(
    mailbox: string,
    moves: readonly { messageId: string; destinationId: string }[],
  ): Promise<Map<string, BatchItemOutcome>>;
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

export interface MessagesDeltaPageOptions {
  /** A stored nextLink or deltaLink; without one the round starts. */
  readonly link?: string;
  /** Only for a new round: `receivedDateTime ge` this ISO time (Graph then returns at most 5,000 messages). */
  readonly receivedSince?: string;
  readonly select?: readonly string[];
  /** `Prefer: odata.maxpagesize`, sent with every page request. */
  readonly maxPageSize?: number;
}

export interface MessagesDeltaPage {
  readonly items: RawMessage[];
  readonly removed: DeltaRemoved[];
  readonly skipped: SkippedItem[];
  readonly nextLink?: string;
  readonly deltaLink?: string;
}

/** A message as a delta page holds it: any object with a string id (possibly partial). */
export type RawMessage = Record<string, unknown> & { id: string };

const rawMessage: ItemParser<RawMessage> = (value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not an object' };
  const id = (value as { id?: unknown }).id;
  if (typeof id !== 'string' || id.trim() === '') return { ok: false, reason: 'id: missing or not a string' };
  return { ok: true, value: value as RawMessage };
};

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
    async messagesDeltaPage(mailbox, folderId, options) {
      const prefer = [IMMUTABLE_ID, ...(options.maxPageSize ? [`odata.maxpagesize=${options.maxPageSize}`] : [])];
      const page = await graph.deltaPage(options.link ?? `${folderPath(mailbox, folderId)}/messages/delta`, {
        ...(options.select ? { select: options.select } : {}),
        ...(options.receivedSince && !options.link ? { filter: `receivedDateTime ge ${options.receivedSince}` } : {}),
        headers: { Prefer: prefer.join(', ') },
        context: { operation: 'messagesDelta', permission: 'Mail.ReadWrite', mailbox },
      });
      const { items, removed, skipped } = splitDeltaValues(page.value, rawMessage);
      return {
        items,
        removed,
        skipped,
        ...(page.nextLink ? { nextLink: page.nextLink } : {}),
        ...(page.deltaLink ? { deltaLink: page.deltaLink } : {}),
      };
    },
    async getMessages(mailbox, messageIds, options = {}) {
      const query = options.select?.length ? `?$select=${options.select.join(',')}` : '';
      const requests = messageIds.map((id, index) => ({
        id: String(index + 1),
        method: 'GET' as const,
        url: `${base(mailbox)}/messages/${encodeURIComponent(id)}${query}`,
        headers: { Prefer: IMMUTABLE_ID },
      }));
      const outcomes = await batchItems(graph, requests, {
        operation: 'getMessage',
        permission: 'Mail.ReadWrite',
        mailbox,
      });
      return new Map(messageIds.map((id, index) => [id, outcomes.get(String(index + 1))!]));
    },
    async moveMessages(mailbox, moves) {
      const requests = moves.map((move, index) => ({
        id: String(index + 1),
        method: 'POST' as const,
        url: `${base(mailbox)}/messages/${encodeURIComponent(move.messageId)}/move`,
        headers: { Prefer: IMMUTABLE_ID },
        body: { destinationId: move.destinationId },
      }));
      const outcomes = await batchItems(graph, requests, {
        operation: 'moveMessage',
        permission: 'Mail.ReadWrite',
        mailbox,
      });
      return new Map(moves.map((move, index) => [move.messageId, outcomes.get(String(index + 1))!]));
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
        // Never twice: a 503/504 or a lost connection may have sent it, and a sent mail cannot be looked up.
        opts(mailbox, 'sendMail', 'Mail.Send', { retry: 'refusalsOnly' }),
      );
    },
  };
  return ops;
}
