import type { Container } from '../../app/container';
import { verifySignedResult } from '../../jobs';
import { JobTransitionError, type QueueFailure } from '../../storage';
import { jobIdFor } from '../buildJob';
import { routeEvent } from '../routing';
import { type HaloEventsMessage, isPollRequest } from './haloEventsQueue';
import type { JobResultsMessage } from './handleJobResult';
import { DEDUPE } from './scopes';

/**
 * A `halo-events` message that was given up on (already recorded as a queue failure with its last error): for an
 * event, each job it should have made and did not queue gets a `failed` job record with the reason, so that the
 * ticket's job list shows it. Idempotent.
 */
export async function haloEventGivenUp(
  deps: Container,
  message: HaloEventsMessage,
  failure: QueueFailure,
): Promise<void> {
  if (isPollRequest(message)) return;
  const routed = routeEvent(message, { scripts: deps.config.scripts, triggers: deps.config.triggers });
  const reason = `the Halo event was not processed (${failure.reason})`;
  for (const request of routed.requests) {
    const jobId = jobIdFor(request.dedupeKey);
    if ((await deps.stores.dedupe.get(DEDUPE.job, jobId))?.status === 'completed') continue;
    const existing = await deps.stores.jobs.get(jobId);
    if (existing) {
      await deps.stores.jobs
        .transition(jobId, { from: ['queued'], to: 'failed', patch: { error: reason } })
        .catch((e) => (e instanceof JobTransitionError ? undefined : Promise.reject(e)));
    } else {
      await deps.stores.jobs.upsert({
        id: jobId,
        status: 'failed',
        group: request.script.workerGroup,
        script: request.script.path,
        ...(request.ticketId !== undefined ? { ticketId: request.ticketId } : {}),
        source: `${request.source.kind}:${request.source.ref}`,
        error: reason,
      });
    }
  }
}

/**
 * A `job-results` message that was given up on: when it is a result a registered worker signed, its job (if still
 * open) becomes `failed` with the reason. An unverified message changes no job.
 */
export async function jobResultGivenUp(
  deps: Container,
  message: JobResultsMessage,
  failure: QueueFailure,
): Promise<void> {
  if (!('result' in message)) return;
  const workers = new Map(deps.config.workers.map((w) => [w.id, w.publicKey] as const));
  const verification = verifySignedResult(message, workers);
  if (!verification.ok) return;
  const reason = `the result could not be applied (${failure.reason})`;
  await deps.stores.jobs
    .transition(verification.result.jobId, { from: ['queued', 'running'], to: 'failed', patch: { error: reason } })
    .catch((e) => (e instanceof JobTransitionError ? undefined : Promise.reject(e)));
}
