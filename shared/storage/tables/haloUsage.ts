import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable } from './entityTable';
import { parseRow } from './records';

/** One minute of one flow's Halo traffic from one instance (the rows every instance writes). */
export interface HaloUsageSample {
  /** The minute, as `YYYY-MM-DDTHH:MM` (UTC). */
  readonly minute: string;
  /** What made the requests: the function (e.g. `mailboxScan`, `tenantSyncQueue`) or the CLI. */
  readonly flow: string;
  readonly lane: string;
  /** Which process counted them (a random id per process). */
  readonly instance: string;
  readonly requests: number;
  /** 429 answers Halo gave. */
  readonly rateLimited: number;
}

/** One minute of one flow, summed over every instance: what the console charts. */
export interface HaloUsagePoint {
  readonly minute: string;
  readonly flow: string;
  readonly lane: string;
  readonly requests: number;
  readonly rateLimited: number;
}

export interface HaloUsageStore {
  /** Saves samples (each instance replaces its own row per minute and flow: no contention). */
  record(samples: readonly HaloUsageSample[]): Promise<void>;
  /**
   * Requests and 429s per minute and flow between `from` (inclusive) and `to` (exclusive), every instance summed,
   * oldest first. The console's read API: e.g. the last 24 hours is `read({ from: now - 24 h, to: now })`.
   */
  read(range: { from: Date; to: Date }): Promise<HaloUsagePoint[]>;
}

const rowSchema = z.object({
  partitionKey: z.string(),
  flow: z.string(),
  lane: z.string(),
  instance: z.string(),
  requests: z.number().int(),
  rateLimited: z.number().int(),
});

/** `2026-12-01T14:05:33Z` → `2026-12-01T14:05` (the partition: one per minute, in time order). */
export function usageMinute(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/** Halo requests per minute by flow, and 429s: a small time series every instance appends to. */
export function haloUsageStore(connection: StorageConnection): HaloUsageStore {
  const table = entityTable(connection, TABLES.haloUsage);
  return {
    async record(samples) {
      await Promise.all(
        samples.map((s) =>
          table.upsert(s.minute, safeKey(`${s.flow}|${s.instance}`), {
            flow: s.flow,
            lane: s.lane,
            instance: s.instance,
            requests: s.requests,
            rateLimited: s.rateLimited,
          }),
        ),
      );
    },
    async read(range) {
      const rows = await table.list(undefined, {
        filter: odata`PartitionKey ge ${usageMinute(range.from)} and PartitionKey lt ${usageMinute(range.to)}`,
      });
      const points = new Map<string, HaloUsagePoint>();
      for (const row of rows) {
        const r = parseRow(rowSchema, row, table.name);
        const key = `${r.partitionKey}|${r.flow}`;
        const seen = points.get(key);
        points.set(key, {
          minute: r.partitionKey,
          flow: r.flow,
          lane: r.lane,
          requests: (seen?.requests ?? 0) + r.requests,
          rateLimited: (seen?.rateLimited ?? 0) + r.rateLimited,
        });
      }
      return [...points.values()].sort((a, b) => a.minute.localeCompare(b.minute) || a.flow.localeCompare(b.flow));
    },
  };
}
