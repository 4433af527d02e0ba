import type { Container } from '../../app/container';
import { verifySignedNotice } from '../../jobs';
import { JobTransitionError } from '../../storage';
import { type JobStatus, nextJobStatus } from '../jobStatus';

export type StartedOutcome =
  | { readonly kind: 'applied'; readonly jobId: string; readonly status: 'running' }
  /** Verified, but changes nothing: a duplicate, or a notice that arrived after the job's result. */
  | { readonly kind: 'ignored'; readonly jobId: string; readonly detail: string }
  /** Not accepted (unregistered worker, bad signature, malformed, unknown job, other group): the caller records it. */
  | { readonly kind: 'refused'; readonly detail: string };

/**
 * A worker's signed `started` notice from `job-results`: only a registered worker of the job's group counts. It
 * moves the job queued → running with the worker and start time; for a job already running or finished (queues do
 * not keep order, so the result may have come first) it changes nothing. Nothing is written to Halo.
 */
export async function handleJobStarted(
  deps: Pick<Container, 'config' | 'stores' | 'log'>,
  value: unknown,
): Promise<StartedOutcome> {
  const workers = new Map(deps.config.workers.map((w) => [w.id, w.publicKey] as const));
  const verification = verifySignedNotice(value, workers);
  if (!verification.ok) return { kind: 'refused', detail: `${verification.reason}: ${verification.detail}` };
  const { jobId, workerId, startedAt } = verification.notice;
  const job = await deps.stores.jobs.get(jobId);
  if (!job) return { kind: 'refused', detail: `started notice for unknown job ${jobId} from worker ${workerId}` };
  const group = deps.config.workers.find((w) => w.id === workerId)?.group;
  if (group !== job.group) {
    return { kind: 'refused', detail: `worker ${workerId} (group ${group}) may not report on a job of ${job.group}` };
  }
  const ignored = (status: string): StartedOutcome => ({
    kind: 'ignored',
    jobId,
    detail: `the job is already ${status}`,
  });
  const next = nextJobStatus(job.status as JobStatus, { type: 'started' });
  if (next === 'ignored') return ignored(job.status);
  try {
    await deps.stores.jobs.transition(jobId, { from: [job.status], to: next, patch: { workerId, startedAt } });
  } catch (error) {
    // The result (or expiry) got there between the read and the write: it wins.
    if (error instanceof JobTransitionError) return ignored(error.current ?? '(gone)');
    throw error;
  }
  deps.log.info('job started', { jobId, workerId });
  return { kind: 'applied', jobId, status: 'running' };
}
