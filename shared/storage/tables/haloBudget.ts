import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable } from './entityTable';
import { parseRow } from './records';

const PARTITION = 'budget';

const rowSchema = z.object({ state: z.string(), etag: z.string() });

/** One Halo instance's shared budget document (JSON), read and written under its ETag by every instance. */
export interface HaloBudgetStore {
  read(instanceKey: string): Promise<{ json: string | undefined; etag: string | undefined }>;
  /** Writes only if the row is still at `etag` (or absent, for undefined); false when another writer won. */
  write(instanceKey: string, json: string, etag: string | undefined): Promise<boolean>;
}

export function haloBudgetStore(connection: StorageConnection): HaloBudgetStore {
  const table = entityTable(connection, TABLES.haloBudget);
  return {
    async read(instanceKey) {
      const row = await table.get(PARTITION, safeKey(instanceKey));
      if (!row) return { json: undefined, etag: undefined };
      const parsed = parseRow(rowSchema, row, table.name);
      return { json: parsed.state, etag: parsed.etag };
    },
    async write(instanceKey, json, etag) {
      try {
        const properties = { state: json, updatedAt: new Date().toISOString() };
        if (etag === undefined) await table.insert(PARTITION, safeKey(instanceKey), properties);
        else await table.update(PARTITION, safeKey(instanceKey), properties, etag);
        return true;
      } catch (error) {
        if (error instanceof ConcurrencyError) return false;
        throw error;
      }
    },
  };
}
