import { z } from 'zod';
import { DEDUPE } from '../../automation/useCases/scopes';
import type { JobSummary, StoredJob } from '../../storage';
import type { ConsoleDeps } from '../deps';
import { maskSecrets, tail } from '../mask';
import { pageLimit } from '../query';

export const jobsQuerySchema = z
  .object({
    status: z
      .string()
      .trim()
      .regex(/^[a-zA-Z]+$/, { message: 'must be a job status, e.g. failed' })
      .optional(),
    script: z.string().trim().min(1).max(260).optional(),
    ticket: z.coerce.number().int().positive().optional(),
    worker: z.string().trim().min(1).max(128).optional(),
    after: z
      .string()
      .regex(/^[0-9]{16}-[A-Za-z0-9._%-]+$/, { message: 'is not a cursor this console gave out' })
      .optional(),
    limit: pageLimit(200, 25),
  })
  .strict();

export type JobsQuery = z.output<typeof jobsQuerySchema>;

export interface JobRow {
  readonly id: string;
  readonly status: string;
  readonly script: string;
  readonly group: string;
  /** e.g. `webhook:…`, `haloScriptQueue:17`, `schedule:nightly`. */
  readonly source: string;
  readonly ticketId?: number;
  readonly ticketUrl?: string;
  readonly workerId?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** The last lines of the script's output, secrets masked. */
  readonly outputTail?: string;
  readonly error?: string;
  /** What the result wrote to Halo ("status 21; private note added"), once a result was applied. */
  readonly haloWrite?: string;
}

export interface JobsView {
  readonly jobs: readonly JobRow[];
  readonly next?: string;
}

export interface JobDetail extends JobRow {
  /** The whole stored output (up to ~30 K characters), secrets masked. */
  readonly output?: string;
}

/** The Scripts page and `cli jobs`: the newest jobs, what they printed and what they made Halo do. */
export async function jobsView(deps: ConsoleDeps, query: JobsQuery): Promise<JobsView> {
  const page = await deps.stores.jobs.page({
    ...(query.status ? { status: query.status } : {}),
    ...(query.script ? { script: query.script } : {}),
    ...(query.ticket !== undefined ? { ticketId: query.ticket } : {}),
    ...(query.worker ? { workerId: query.worker } : {}),
    ...(query.after ? { after: query.after } : {}),
    limit: query.limit,
  });
  return {
    jobs: page.jobs.map((job) => jobRow(deps, job, job.outputTail, job.haloWrite)),
    ...(page.next ? { next: page.next } : {}),
  };
}

export async function jobDetail(deps: ConsoleDeps, id: string): Promise<JobDetail | undefined> {
  const job = await deps.stores.jobs.get(id);
  if (!job) return undefined;
  // Jobs finished before the job record kept its Halo write have it only with the result's claim.
  const row = jobRow(deps, job, job.output, job.haloWrite ?? (await haloWriteOfClaim(deps, id)));
  return { ...row, ...(job.output !== undefined ? { output: maskSecrets(job.output, deps.secrets) } : {}) };
}

function jobRow(
  deps: ConsoleDeps,
  job: JobSummary | StoredJob,
  output: string | undefined,
  haloWrite: string | undefined,
): JobRow {
  const secrets = deps.secrets;
  const started = job.startedAt ? Date.parse(job.startedAt) : Number.NaN;
  const finished = job.finishedAt ? Date.parse(job.finishedAt) : Number.NaN;
  return {
    id: job.id,
    status: job.status,
    script: job.script,
    group: job.group,
    source: job.source,
    ...(job.ticketId !== undefined ? { ticketId: job.ticketId, ticketUrl: deps.links.ticket(job.ticketId) } : {}),
    ...(job.workerId ? { workerId: job.workerId } : {}),
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(Number.isFinite(finished - started) ? { durationMs: finished - started } : {}),
    ...(output ? { outputTail: tail(maskSecrets(output, secrets)) } : {}),
    ...(job.error ? { error: maskSecrets(job.error, secrets) } : {}),
    ...(haloWrite ? { haloWrite } : {}),
  };
}

/** The result handler also records what it wrote to Halo with its claim on the job's result. */
async function haloWriteOfClaim(deps: ConsoleDeps, jobId: string): Promise<string | undefined> {
  const record = await deps.stores.dedupe.get(DEDUPE.jobResult, jobId);
  const wrote = (record?.result as { wrote?: unknown } | undefined)?.wrote;
  return Array.isArray(wrote) && wrote.length > 0 && wrote.every((w) => typeof w === 'string')
    ? wrote.join('; ')
    : undefined;
}
