import type { ResultStatus } from '../jobs/result';

export type JobStatus = 'queued' | 'running' | ResultStatus | 'expired';

export type JobEvent =
  /** A worker leased the job and started it. */
  | { readonly type: 'started' }
  /** A verified result arrived (after evaluateResult: its jobStatus). */
  | { readonly type: 'finished'; readonly status: ResultStatus }
  /** The job passed expiresAt while still queued. */
  | { readonly type: 'expired' }
  /** An interrupted idempotent job is queued again. */
  | { readonly type: 'retried' };

/** The statuses a job ends in (only an interrupted idempotent job may be queued again). */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = [
  'succeeded',
  'failed',
  'timedOut',
  'interrupted',
  'rejected',
  'expired',
];

const FINISHED: ReadonlySet<JobStatus> = new Set(FINISHED_JOB_STATUSES);

export function isFinished(status: JobStatus): boolean {
  return FINISHED.has(status);
}

/**
 * The job record's next status, or 'ignored' when the event changes nothing: a duplicate or late result for a
 * finished job, a second start, an expiry of a job already running. A result may arrive without a start (the
 * start was not recorded), so queued accepts it too. Only an interrupted job may go back to queued.
 */
export function nextJobStatus(current: JobStatus, event: JobEvent): JobStatus | 'ignored' {
  switch (event.type) {
    case 'started':
      return current === 'queued' ? 'running' : 'ignored';
    case 'finished':
      return current === 'queued' || current === 'running' ? event.status : 'ignored';
    case 'expired':
      return current === 'queued' ? 'expired' : 'ignored';
    case 'retried':
      return current === 'interrupted' ? 'queued' : 'ignored';
  }
}
