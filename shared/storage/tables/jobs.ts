import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { truncateText } from '../json';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

/** One partition: jobs are looked up by id, and listed with a filter (e.g. odata`status eq ${'running'}`). */
const PARTITION = 'job';
const MAX_OUTPUT_CHARS = 30_000;

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

export interface JobStore {
  /** Inserts a new job; an existing id gives ConcurrencyError('already-exists'). */
  create(job: JobDraft): Promise<StoredJob>;
  upsert(job: JobDraft): Promise<StoredJob>;
  get(id: string): Promise<StoredJob | undefined>;
  list(options?: ListOptions): Promise<StoredJob[]>;
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
  return {
    async create(job) {
      const record = prepare(job);
      return { ...record, etag: await table.insert(PARTITION, safeKey(record.id), record) };
    },
    async upsert(job) {
      const record = prepare(job);
      return { ...record, etag: await table.upsert(PARTITION, safeKey(record.id), record) };
    },
    get,
    async list(listOptions) {
      return (await table.list(PARTITION, listOptions)).map(fromRow);
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
          return { ...record, etag: await table.update(PARTITION, safeKey(id), record, etag) };
        } catch (error) {
          if (!(error instanceof ConcurrencyError) || attempt >= 4) throw error;
        }
      }
    },
  };
}
