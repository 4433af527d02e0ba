import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { truncateText } from '../json';
import { newestFirstKey, safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity, type TableAction } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

/**
 * One partition: a job row per id (looked up by id, listed with a filter such as odata`status eq ${'running'}`),
 * and a time row per job (`~t~<newest first>-<id>`) with the same fields but only the tail of the output, written
 * in the same transaction, so that the newest jobs (optionally filtered) are a key-range query, not a scan.
 */
const PARTITION = 'job';
const MAX_OUTPUT_CHARS = 30_000;
const OUTPUT_TAIL_CHARS = 2_000;
const TIME_PREFIX = '~t~';
const TIME_END = '~t~~';
const JOB_ROWS = odata`RowKey lt ${'~'}`;

const recordSchema = z.object({
  id: z.string().min(1),
  /** The caller's status vocabulary (e.g. queued, running, succeeded, failed, expired); transitions are its rules. */
  status: z.string().min(1),
  group: z.string().min(1),
  script: z.string().min(1),
  ticketId: z.number().int().optional(),
  /** Where the job came from, e.g. `webhook`, `halo-queue`, `schedule`. */
  source: z.string().min(1),
  workerId: z.string().optional(),
  /** Script output; cut to ~30 K characters with a visible marker. */
  output: z.string().optional(),
  error: z.string().optional(),
  /** What the job's result wrote to Halo, in words ("status 18", "private note added"). */
  haloWrite: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

export type JobRecord = z.output<typeof recordSchema>;
export type StoredJob = JobRecord & { readonly etag: string };
export type JobDraft = Omit<JobRecord, 'createdAt' | 'updatedAt'> & { createdAt?: string; updatedAt?: string };
export type JobPatch = Partial<Omit<JobRecord, 'id' | 'status' | 'createdAt'>>;

/** The job was not in one of the statuses a transition allows from. */
export class JobTransitionError extends Error {
  override readonly name = 'JobTransitionError';
  constructor(
    readonly jobId: string,
    readonly current: string | undefined,
    readonly to: string,
  ) {
    super(`job ${jobId}: cannot move from ${current ?? '(no such job)'} to ${to}`);
  }
}

/** A job as the time index holds it: everything but the output, of which only the last part. */
export type JobSummary = Omit<JobRecord, 'output'> & { readonly outputTail?: string };

export interface JobPageQuery {
  readonly status?: string;
  readonly script?: string;
  readonly ticketId?: number;
  readonly workerId?: string;
  readonly group?: string;
  /** Continue after this cursor (a previous page's `next`). */
  readonly after?: string;
  /** Page size (default 50, at most 500). */
  readonly limit?: number;
}

export interface JobPage {
  readonly jobs: JobSummary[];
  readonly next?: string;
}

export interface JobStore {
  /** Inserts a new job; an existing id gives ConcurrencyError('already-exists'). */
  create(job: JobDraft): Promise<StoredJob>;
  upsert(job: JobDraft): Promise<StoredJob>;
  get(id: string): Promise<StoredJob | undefined>;
  list(options?: ListOptions): Promise<StoredJob[]>;
  /** Newest first (by creation), filtered on the table service. */
  page(query?: JobPageQuery): Promise<JobPage>;
  /**
   * Moves a job to `to` only if its current status is one of `from` (the caller's transition rule), applying the
   * patch, guarded by ETag and retried on a concurrent change. Throws JobTransitionError when not allowed.
   */
  transition(id: string, change: { from: readonly string[]; to: string; patch?: JobPatch }): Promise<StoredJob>;
}

export function jobStore(connection: StorageConnection, options: { now?: Clock } = {}): JobStore {
  const table = entityTable(connection, TABLES.jobs);
  const now = options.now ?? systemClock;
  const fromRow = (row: StoredEntity): StoredJob => ({ ...parseRow(recordSchema, row, table.name), etag: row.etag });
  const prepare = (job: JobDraft): JobRecord => {
    const at = now().toISOString();
    const record = checkRecord(
      recordSchema,
      { ...job, createdAt: job.createdAt ?? at, updatedAt: job.updatedAt ?? at },
      table.name,
    );
    return {
      ...record,
      output: record.output === undefined ? undefined : truncateText(record.output, MAX_OUTPUT_CHARS),
      error: record.error === undefined ? undefined : truncateText(record.error, 8_000),
    };
  };
  const get = async (id: string) => {
    const row = await table.get(PARTITION, safeKey(id));
    return row ? fromRow(row) : undefined;
  };
  /** The job row and its time row, as one transaction's actions (the job row first: its ETag is returned). */
  const rowsOf = (record: JobRecord, jobAction: 'create' | 'upsert' | { etag: string }): TableAction[] => {
    const jobRow =
      typeof jobAction === 'string'
        ? { kind: jobAction, rowKey: safeKey(record.id), properties: record }
        : { kind: 'update' as const, rowKey: safeKey(record.id), properties: record, etag: jobAction.etag };
    const { output, ...summary } = record;
    const outputTail = output === undefined ? undefined : output.slice(-OUTPUT_TAIL_CHARS);
    return [jobRow, { kind: 'upsert', rowKey: timeKeyOf(record), properties: { ...summary, outputTail } }];
  };
  return {
    async create(job) {
      const record = prepare(job);
      const [etag] = await table.transact(PARTITION, rowsOf(record, 'create'));
      return { ...record, etag: etag ?? '' };
    },
    async upsert(job) {
      const record = prepare(job);
      const existing = await table.get(PARTITION, safeKey(record.id));
      const previous = existing ? fromRow(existing) : undefined;
      const actions = rowsOf(record, 'upsert');
      if (previous && timeKeyOf(previous) !== timeKeyOf(record))
        actions.push({ kind: 'delete', rowKey: timeKeyOf(previous) });
      const [etag] = await table.transact(PARTITION, actions);
      return { ...record, etag: etag ?? '' };
    },
    get,
    async list(listOptions = {}) {
      const filter = listOptions.filter ? `${JOB_ROWS} and (${listOptions.filter})` : JOB_ROWS;
      return (await table.list(PARTITION, { ...listOptions, filter })).map(fromRow);
    },
    async page(query = {}) {
      const limit = Math.min(Math.max(1, query.limit ?? 50), 500);
      const lower = query.after ? `${TIME_PREFIX}${query.after}` : TIME_PREFIX;
      const clauses = [
        query.after ? odata`RowKey gt ${lower}` : odata`RowKey ge ${lower}`,
        odata`RowKey lt ${TIME_END}`,
      ];
      if (query.status) clauses.push(odata`status eq ${query.status}`);
      if (query.script) clauses.push(odata`script eq ${query.script}`);
      if (query.ticketId !== undefined) clauses.push(odata`ticketId eq ${query.ticketId}`);
      if (query.workerId) clauses.push(odata`workerId eq ${query.workerId}`);
      if (query.group) clauses.push(odata`group eq ${query.group}`);
      const rows = await table.list(PARTITION, { filter: clauses.join(' and '), top: limit + 1 });
      const jobs = rows.slice(0, limit).map((row) => parseRow(summarySchema, row, table.name));
      const last = rows.length > limit ? rows[limit - 1]?.rowKey : undefined;
      return { jobs, ...(last ? { next: last.slice(TIME_PREFIX.length) } : {}) };
    },
    async transition(id, change) {
      for (let attempt = 0; ; attempt++) {
        const current = await get(id);
        if (!current || !change.from.includes(current.status)) {
          throw new JobTransitionError(id, current?.status, change.to);
        }
        const { etag, ...previous } = current;
        const record = prepare({ ...previous, ...change.patch, id, status: change.to, updatedAt: undefined });
        try {
          const [next] = await table.transact(PARTITION, rowsOf(record, { etag }));
          return { ...record, etag: next ?? '' };
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= 4) throw error;
        }
      }
    },
  };
}

const summarySchema = recordSchema.omit({ output: true }).extend({ outputTail: z.string().optional() });

function timeKeyOf(record: Pick<JobRecord, 'id' | 'createdAt'>): string {
  const at = Date.parse(record.createdAt);
  return `${TIME_PREFIX}${newestFirstKey(new Date(Number.isNaN(at) ? 0 : at), record.id)}`;
}
