import { createHash } from 'node:crypto';
import { formatIssues } from '../config/zodIssues';
import { type Job, jobSchema } from '../jobs/envelope';
import type { Parameters, ScriptRunRequest } from './types';

export interface JobDefaults {
  /** How long a job may wait in the queue before a worker must refuse it. Default 1 hour. */
  readonly expiresAfterSeconds?: number;
  /** Delay before a worker may start it. Default 0. */
  readonly notBeforeDelaySeconds?: number;
}

export interface BuildJobOptions {
  readonly now: Date;
  /** Parameters resolved from ticket data (resolveParameters); they win over the request's own parameters. */
  readonly parameters?: Parameters;
  readonly defaults?: JobDefaults;
}

export type BuildJobResult = { ok: true; job: Job } | { ok: false; problems: string[] };

/** The job id for a dedupe key: the same trigger always gives the same job id, whenever it is built. */
export function jobIdFor(dedupeKey: string): string {
  return `job-${createHash('sha256').update(dedupeKey, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The unsigned job (shared/jobs `Job`) for a run request, validated against the envelope schema. A retry of the
 * same trigger yields the same jobId (times differ), so the jobs table's insert-if-absent keeps one job.
 */
export function buildJob(request: ScriptRunRequest, options: BuildJobOptions): BuildJobResult {
  const parameters: Parameters = { ...request.parameters, ...options.parameters };
  const notBefore = new Date(options.now.getTime() + (options.defaults?.notBeforeDelaySeconds ?? 0) * 1000);
  const expiresAt = new Date(notBefore.getTime() + (options.defaults?.expiresAfterSeconds ?? 3600) * 1000);
  const secretParameters = request.script.secretParameters.filter((name) => name in parameters);
  const job: Job = {
    v: 1,
    jobId: jobIdFor(request.dedupeKey),
    script: request.script.path,
    parameters,
    ...(secretParameters.length > 0 ? { secretParameters } : {}),
    passing: request.script.passing,
    ...(request.ticketId !== undefined ? { ticketId: request.ticketId } : {}),
    source: request.source,
    idempotent: request.script.idempotent,
    notBefore: notBefore.toISOString(),
    expiresAt: expiresAt.toISOString(),
    timeoutSeconds: request.script.timeoutSeconds,
    workerGroup: request.script.workerGroup,
  };
  const parsed = jobSchema.safeParse(job);
  return parsed.success ? { ok: true, job: parsed.data } : { ok: false, problems: formatIssues(parsed.error, 'job') };
}
