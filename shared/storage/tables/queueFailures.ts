import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { truncateText } from '../json';
import { newestFirstKey, safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity } from './entityTable';
import { type Clock, parseRow, systemClock } from './records';

const recordSchema = z.object({
  queue: z.string().min(1),
  id: z.string().min(1),
  /** The message text (decoded where possible); cut to ~30 K characters. */
  message: z.string(),
  reason: z.string(),
  failedAt: z.string(),
  messageId: z.string().optional(),
  dequeueCount: z.number().int().optional(),
});

export type QueueFailure = z.output<typeof recordSchema>;

export interface QueueFailureStore {
  /** Records a message that landed in (or was sent to) a poison queue. Newest first in `list`. */
  record(failure: {
    queue: string;
    message: string;
    reason: string;
    messageId?: string;
    dequeueCount?: number;
  }): Promise<QueueFailure>;
  get(queue: string, id: string): Promise<QueueFailure | undefined>;
  list(queue: string, options?: ListOptions): Promise<QueueFailure[]>;
}

/** Poison messages, so that a failure leaves a visible status. */
export function queueFailureStore(connection: StorageConnection, options: { now?: Clock } = {}): QueueFailureStore {
  const table = entityTable(connection, TABLES.queueFailures);
  const now = options.now ?? systemClock;
  const fromRow = (row: StoredEntity) => parseRow(recordSchema, row, table.name);
  return {
    async record(failure) {
      const at = now();
      const record: QueueFailure = {
        ...failure,
        id: newestFirstKey(at, randomUUID().slice(0, 8)),
        message: truncateText(failure.message),
        reason: truncateText(failure.reason, 8_000),
        failedAt: at.toISOString(),
      };
      await table.insert(safeKey(record.queue), record.id, record);
      return record;
    },
    async get(queue, id) {
      const row = await table.get(safeKey(queue), safeKey(id));
      return row ? fromRow(row) : undefined;
    },
    async list(queue, listOptions) {
      return (await table.list(safeKey(queue), listOptions)).map(fromRow);
    },
  };
}
