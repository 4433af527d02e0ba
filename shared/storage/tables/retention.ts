import { odata } from '@azure/data-tables';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { TABLES, type TableName } from '../names';
import { type EntityTable, entityTable } from './entityTable';
import { usageMinute } from './haloUsage';

/** What one purge of one table did. */
export interface PurgeOutcome {
  readonly table: TableName;
  readonly deleted: number;
  /** Rows that matched but changed or vanished between the read and the delete (left for the next run). */
  readonly skipped: number;
  /** More matching rows remain beyond the limit. */
  readonly more: boolean;
}

/** Parallel single-row deletes: each guarded by its ETag, so a row that changed since it was read is kept. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes at most `limit` rows of `table` that match the OData `filter`, reading only their keys. Each delete is
 * conditional on the ETag read, so a row updated meanwhile (no longer expired) survives. Tables pages the query;
 * the rows are read first (limit + 1, to know whether more remain) and deleted after, so that deletes never race
 * the continuation tokens.
 */
export async function purgeRows(table: EntityTable, filter: string, limit: number): Promise<PurgeOutcome> {
  if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError('limit must be a positive integer');
  const keys: { partitionKey: string; rowKey: string; etag: string }[] = [];
  const rows = table.client.listEntities<Record<string, unknown>>({
    queryOptions: { filter, select: ['partitionKey', 'rowKey'] },
  });
  for await (const row of rows) {
    keys.push({ partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', etag: row.etag });
    if (keys.length > limit) break;
  }
  const more = keys.length > limit;
  const batch = keys.slice(0, limit);
  let deleted = 0;
  let skipped = 0;
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const key = batch[next++]!;
      try {
        if (await table.delete(key.partitionKey, key.rowKey, key.etag)) deleted++;
        else skipped++;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        skipped++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, batch.length) }, worker));
  return { table: table.name as TableName, deleted, skipped, more };
}

/**
 * Deletes expired rows of the state tables, each by its own ISO-8601 timestamp property (ISO strings in UTC
 * compare correctly as text, so the filter runs on the service). There is deliberately no purge for checkpoints,
 * subscriptions or workers: they are state, not history.
 */
export interface RetentionStore {
  /** Completed claims completed before the cutoff. A claim never completed stays (a visible stuck item). */
  purgeDedupe(before: Date, limit: number): Promise<PurgeOutcome>;
  /** Runs finished before the cutoff, and runs still `running` that started before it (abandoned). */
  purgeRuns(before: Date, limit: number): Promise<PurgeOutcome>;
  /** Jobs in one of `finishedStatuses` (the caller's vocabulary) last updated before the cutoff. */
  purgeJobs(before: Date, finishedStatuses: readonly string[], limit: number): Promise<PurgeOutcome>;
  /** Mail log entries processed before the cutoff. */
  purgeMailLog(before: Date, limit: number): Promise<PurgeOutcome>;
  /** Poison-message records that failed before the cutoff. */
  purgeQueueFailures(before: Date, limit: number): Promise<PurgeOutcome>;
  /** Halo usage minutes (per flow) before the cutoff. */
  purgeHaloUsage(before: Date, limit: number): Promise<PurgeOutcome>;
}

export function retentionStore(connection: StorageConnection): RetentionStore {
  const tables = {
    dedupe: entityTable(connection, TABLES.dedupe),
    runs: entityTable(connection, TABLES.runs),
    jobs: entityTable(connection, TABLES.jobs),
    mailLog: entityTable(connection, TABLES.mailLog),
    queueFailures: entityTable(connection, TABLES.queueFailures),
    haloUsage: entityTable(connection, TABLES.haloUsage),
  };
  const iso = (at: Date) => {
    if (Number.isNaN(at.getTime())) throw new RangeError('the retention cutoff is not a valid date');
    return at.toISOString();
  };
  return {
    purgeDedupe: (before, limit) =>
      purgeRows(tables.dedupe, odata`status eq ${'completed'} and completedAt lt ${iso(before)}`, limit),
    purgeRuns(before, limit) {
      const cutoff = iso(before);
      const filter = odata`(finishedAt lt ${cutoff}) or (status eq ${'running'} and startedAt lt ${cutoff})`;
      return purgeRows(tables.runs, filter, limit);
    },
    async purgeJobs(before, finishedStatuses, limit) {
      if (finishedStatuses.length === 0) return { table: TABLES.jobs, deleted: 0, skipped: 0, more: false };
      const statuses = finishedStatuses.map((status) => odata`status eq ${status}`).join(' or ');
      return purgeRows(tables.jobs, `(${statuses}) and ${odata`updatedAt lt ${iso(before)}`}`, limit);
    },
    purgeMailLog: (before, limit) => purgeRows(tables.mailLog, odata`processedAt lt ${iso(before)}`, limit),
    purgeQueueFailures: (before, limit) => purgeRows(tables.queueFailures, odata`failedAt lt ${iso(before)}`, limit),
    purgeHaloUsage: (before, limit) =>
      purgeRows(tables.haloUsage, odata`PartitionKey lt ${usageMinute(new Date(iso(before)))}`, limit),
  };
}
