import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity } from './entityTable';
import { checkRecord, parseRow } from './records';

/** One partition: a notification is looked up by subscription id; renewal lists them all. */
const PARTITION = 'graph';

const recordSchema = z.object({
  id: z.string().min(1),
  mailbox: z.string().min(1),
  tenantId: z.string().optional(),
  resource: z.string().optional(),
  /** Random per subscription; compare in constant time. Never log it. */
  clientState: z.string().min(1),
  /** ISO 8601. */
  expiresAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO date-time' }),
  createdAt: z.string().optional(),
});

export type SubscriptionRecord = z.output<typeof recordSchema>;

export interface SubscriptionStore {
  upsert(subscription: SubscriptionRecord): Promise<SubscriptionRecord>;
  get(id: string): Promise<SubscriptionRecord | undefined>;
  list(options?: ListOptions): Promise<SubscriptionRecord[]>;
  listForMailbox(mailbox: string): Promise<SubscriptionRecord[]>;
  /** Subscriptions expiring before `time` (due for renewal). */
  expiringBefore(time: Date): Promise<SubscriptionRecord[]>;
  delete(id: string): Promise<boolean>;
}

/** Graph change-notification subscriptions. */
export function subscriptionStore(connection: StorageConnection): SubscriptionStore {
  const table = entityTable(connection, TABLES.subscriptions);
  const fromRow = (row: StoredEntity) => parseRow(recordSchema, row, table.name);
  const list = async (options?: ListOptions) => (await table.list(PARTITION, options)).map(fromRow);
  return {
    async upsert(subscription) {
      const record = checkRecord(recordSchema, subscription, table.name);
      await table.upsert(PARTITION, safeKey(record.id), record);
      return record;
    },
    async get(id) {
      const row = await table.get(PARTITION, safeKey(id));
      return row ? fromRow(row) : undefined;
    },
    list,
    listForMailbox: (mailbox) => list({ filter: odata`mailbox eq ${mailbox}` }),
    async expiringBefore(time) {
      return (await list()).filter((s) => Date.parse(s.expiresAt) < time.getTime());
    },
    delete: (id) => table.delete(PARTITION, safeKey(id)),
  };
}
