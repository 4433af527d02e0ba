import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

/** One partition: results are checked against a worker looked up by id. */
const PARTITION = 'worker';

const recordSchema = z.object({
  id: z.string().min(1),
  group: z.string().min(1),
  /** The worker's Ed25519 public key (as the jobs module encodes it, e.g. PEM or base64 SPKI). */
  publicKey: z.string().min(1),
  enabled: z.boolean(),
  hostname: z.string().optional(),
  registeredAt: z.string(),
  lastSeenAt: z.string().optional(),
});

export type WorkerRecord = z.output<typeof recordSchema>;
export type WorkerDraft = Omit<WorkerRecord, 'registeredAt' | 'enabled'> & { registeredAt?: string; enabled?: boolean };

export interface WorkerStore {
  upsert(worker: WorkerDraft): Promise<WorkerRecord>;
  get(id: string): Promise<WorkerRecord | undefined>;
  list(options?: ListOptions): Promise<WorkerRecord[]>;
  listGroup(group: string): Promise<WorkerRecord[]>;
  /** Records that the worker was seen now; false if it is not registered. */
  touch(id: string): Promise<boolean>;
}

/** Registered hybrid workers. */
export function workerStore(connection: StorageConnection, options: { now?: Clock } = {}): WorkerStore {
  const table = entityTable(connection, TABLES.workers);
  const now = options.now ?? systemClock;
  const fromRow = (row: StoredEntity) => parseRow(recordSchema, row, table.name);
  const list = async (listOptions?: ListOptions) => (await table.list(PARTITION, listOptions)).map(fromRow);
  const get = async (id: string) => {
    const row = await table.get(PARTITION, safeKey(id));
    return row ? fromRow(row) : undefined;
  };
  return {
    async upsert(worker) {
      const record = checkRecord(
        recordSchema,
        { ...worker, enabled: worker.enabled ?? true, registeredAt: worker.registeredAt ?? now().toISOString() },
        table.name,
      );
      await table.upsert(PARTITION, safeKey(record.id), record);
      return record;
    },
    get,
    list,
    listGroup: (group) => list({ filter: odata`group eq ${group}` }),
    async touch(id) {
      const row = await table.get(PARTITION, safeKey(id));
      if (!row) return false;
      await table.update(PARTITION, safeKey(id), { lastSeenAt: now().toISOString() }, '*', 'Merge');
      return true;
    },
  };
}
