import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { truncateText } from '../json';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

const recordSchema = z.object({
  mailbox: z.string().min(1),
  /** The Graph message id (or internetMessageId); any characters, keys are sanitised. */
  messageId: z.string().min(1),
  /** What happened to the mail, e.g. `created`, `appended`, `ignored`, `failed`. */
  fate: z.string().min(1),
  ticketId: z.number().int().optional(),
  subject: z.string().optional(),
  from: z.string().optional(),
  receivedAt: z.string().optional(),
  processedAt: z.string(),
  detail: z.string().optional(),
});

export type MailLogEntry = z.output<typeof recordSchema>;
export type MailLogDraft = Omit<MailLogEntry, 'processedAt'> & { processedAt?: string };

export interface MailLogStore {
  upsert(entry: MailLogDraft): Promise<MailLogEntry>;
  get(mailbox: string, messageId: string): Promise<MailLogEntry | undefined>;
  list(mailbox: string, options?: ListOptions): Promise<MailLogEntry[]>;
}

/** The fate of each incoming mail, per mailbox. */
export function mailLogStore(connection: StorageConnection, options: { now?: Clock } = {}): MailLogStore {
  const table = entityTable(connection, TABLES.mailLog);
  const now = options.now ?? systemClock;
  const fromRow = (row: StoredEntity) => parseRow(recordSchema, row, table.name);
  return {
    async upsert(entry) {
      const record = checkRecord(
        recordSchema,
        { ...entry, processedAt: entry.processedAt ?? now().toISOString() },
        table.name,
      );
      const stored = {
        ...record,
        subject: record.subject === undefined ? undefined : truncateText(record.subject, 1_000),
        detail: record.detail === undefined ? undefined : truncateText(record.detail, 8_000),
      };
      await table.upsert(safeKey(record.mailbox), safeKey(record.messageId), stored);
      return stored;
    },
    async get(mailbox, messageId) {
      const row = await table.get(safeKey(mailbox), safeKey(messageId));
      return row ? fromRow(row) : undefined;
    },
    async list(mailbox, listOptions) {
      return (await table.list(safeKey(mailbox), listOptions)).map(fromRow);
    },
  };
}
