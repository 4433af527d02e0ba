import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { fromJsonProperty, toJsonProperty, truncateText } from '../json';
import { newestFirstKey, safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

/** `recovering`: some work stopped part-way and is being recovered (e.g. a mail whose Halo write is in doubt). */
export const RUN_STATUSES = ['running', 'succeeded', 'recovering', 'partial', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRecord {
  /** What ran: e.g. `tenant-sync`, `mailbox-scan`, `tenant-sync:<tenantId>`. The partition. */
  readonly kind: string;
  /** Sorts newest first within a kind (see newestFirstKey). */
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly counts: Readonly<Record<string, number>>;
  /** Any JSON; stored as text, replaced by a `$truncated` marker object beyond ~30 K characters. */
  readonly summary?: unknown;
  readonly error?: string;
}

export interface RunStore {
  upsert(run: RunRecord): Promise<RunRecord>;
  get(kind: string, runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  list(kind: string, options?: ListOptions): Promise<RunRecord[]>;
  /** Records a new run with status 'running' (under `runId` when given: see newRunId). */
  start(
    kind: string,
    details?: { runId?: string; summary?: unknown; counts?: Record<string, number> },
  ): Promise<RunRecord>;
  /** Sets the final status, counts, summary and error of a run started earlier. */
  finish(
    kind: string,
    runId: string,
    outcome: {
      status: Exclude<RunStatus, 'running'>;
      counts?: Record<string, number>;
      summary?: unknown;
      error?: string;
    },
  ): Promise<RunRecord>;
}

const recordSchema = z.object({
  kind: z.string().min(1),
  runId: z.string().min(1),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  counts: z.record(z.string(), z.number()),
  summary: z.unknown().optional(),
  error: z.string().optional(),
});
const rowSchema = recordSchema.extend({ counts: z.string(), summary: z.string().optional() });

/** A new run id that sorts newest first: for a caller that needs the id before the run is recorded. */
export function newRunId(at: Date): string {
  return newestFirstKey(at, randomUUID().slice(0, 8));
}

/** Sync runs and flow runs: status, counts and a summary per run. */
export function runStore(connection: StorageConnection, options: { now?: Clock } = {}): RunStore {
  const table = entityTable(connection, TABLES.runs);
  const now = options.now ?? systemClock;
  const fromRow = (row: Parameters<typeof parseRow>[1]): RunRecord => {
    const parsed = parseRow(rowSchema, row, table.name);
    const counts = z.record(z.string(), z.number()).safeParse(fromJsonProperty(parsed.counts));
    return { ...parsed, counts: counts.success ? counts.data : {}, summary: fromJsonProperty(parsed.summary) };
  };
  const upsert = async (run: RunRecord): Promise<RunRecord> => {
    const record = checkRecord(recordSchema, run, table.name);
    await table.upsert(safeKey(record.kind), safeKey(record.runId), {
      ...record,
      counts: JSON.stringify(record.counts),
      summary: record.summary === undefined ? undefined : toJsonProperty(record.summary),
      error: record.error === undefined ? undefined : truncateText(record.error, 8_000),
    });
    return record;
  };
  const get = async (kind: string, runId: string) => {
    const row = await table.get(safeKey(kind), safeKey(runId));
    return row ? fromRow(row) : undefined;
  };
  return {
    upsert,
    get,
    async list(kind, listOptions) {
      return (await table.list(safeKey(kind), listOptions)).map(fromRow);
    },
    async start(kind, details = {}) {
      const at = now();
      return upsert({
        kind,
        runId: details.runId ?? newRunId(at),
        status: 'running',
        startedAt: at.toISOString(),
        counts: details.counts ?? {},
        summary: details.summary,
      });
    },
    async finish(kind, runId, outcome) {
      const run = await get(kind, runId);
      if (!run) throw new ConcurrencyError(table.name, safeKey(kind), safeKey(runId), 'missing');
      return upsert({
        ...run,
        status: outcome.status,
        finishedAt: now().toISOString(),
        counts: outcome.counts ?? run.counts,
        summary: outcome.summary === undefined ? run.summary : outcome.summary,
        error: outcome.error,
      });
    },
  };
}
