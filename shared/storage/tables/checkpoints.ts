import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { MAX_PROPERTY_CHARS } from '../json';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions } from './entityTable';
import { type Clock, parseRow, systemClock } from './records';

export interface Checkpoint {
  readonly scope: string;
  readonly key: string;
  readonly value: string;
  readonly updatedAt: string;
  readonly etag: string;
}

export interface CheckpointStore {
  get(scope: string, key: string): Promise<Checkpoint | undefined>;
  /**
   * Saves a value (e.g. a delta link). `etag` makes it conditional: a string → only if the row still has that ETag;
   * `null` → only if there is no row yet; undefined → unconditional. A lost race throws ConcurrencyError.
   * The read-modify-write pattern: `const cp = await get(s, k); ...; await put(s, k, next, cp?.etag ?? null)`.
   */
  put(scope: string, key: string, value: string, etag?: string | null): Promise<Checkpoint>;
  delete(scope: string, key: string): Promise<boolean>;
  list(scope: string, options?: ListOptions): Promise<Checkpoint[]>;
}

const rowSchema = z.object({
  scope: z.string(),
  key: z.string(),
  value: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
});

/** Delta links and other resume points, per scope (e.g. `mail:<mailboxId>`, `tenant:<id>`) and key. */
export function checkpointStore(connection: StorageConnection, options: { now?: Clock } = {}): CheckpointStore {
  const table = entityTable(connection, TABLES.checkpoints);
  const now = options.now ?? systemClock;
  return {
    async get(scope, key) {
      const row = await table.get(safeKey(scope), safeKey(key));
      return row ? parseRow(rowSchema, row, table.name) : undefined;
    },
    async put(scope, key, value, etag) {
      if (value.length > MAX_PROPERTY_CHARS) {
        throw new Error(
          `checkpoint ${scope}/${key}: value is ${value.length} characters; the limit is ${MAX_PROPERTY_CHARS}`,
        );
      }
      const updatedAt = now().toISOString();
      const properties = { scope, key, value, updatedAt };
      const [pk, rk] = [safeKey(scope), safeKey(key)];
      const newEtag =
        etag === undefined
          ? await table.upsert(pk, rk, properties)
          : etag === null
            ? await table.insert(pk, rk, properties)
            : await table.update(pk, rk, properties, etag);
      return { ...properties, etag: newEtag };
    },
    delete: (scope, key) => table.delete(safeKey(scope), safeKey(key)),
    async list(scope, listOptions) {
      const rows = await table.list(safeKey(scope), listOptions);
      return rows.map((row) => parseRow(rowSchema, row, table.name));
    },
  };
}
