import type { Container } from '../../app/container';
import { verifySignedResult } from '../../jobs';
import { describePoisonedMessage } from '../../runtime/poison';
import { JobTransitionError, QUEUES, queueMessageValue } from '../../storage';
import { jobIdFor } from '../buildJob';
import { routeEvent } from '../routing';
import { haloEventsMessageSchema, isPollRequest } from './haloEventsQueue';
import { lastFailure, rememberFailure } from './lastError';
import { messageKey } from './processHaloEvents';
import { DEDUPE } from './scopes';

/**
 * A `halo-events` message the host gave up on. Recorded in queueFailures with its last error; for an event, each
 * job it should have made and did not queue gets a `failed` job record with the reason, so the ticket's job list
 * shows it. Never throws for a bad message (a poison handler that throws only moves the message further).
 */
export async function haloEventPoisoned(deps: Container, message: unknown, triggerMetadata: unknown): Promise<void> {
  const described = describePoisonedMessage(QUEUES.haloEvents, message, triggerMetadata, deps.settings.secretValues);
  const parsed = haloEventsMessageSchema.safeParse(safeValue(message));
  const error = parsed.success ? await lastFailure(deps, QUEUES.haloEvents, messageKey(parsed.data)) : undefined;
  const reason = `the host gave up on it after repeated failures${error ? `; last error: ${error}` : ''}`;
  await deps.stores.queueFailures.record({
    queue: QUEUES.haloEvents,
    message: described.preview,
    reason,
    messageId: described.messageId,
    dequeueCount: described.dequeueCount,
  });
  deps.log.error('halo-events message poisoned', { messageId: described.messageId, reason });
  if (!parsed.success || isPollRequest(parsed.data)) return;

  const routed = routeEvent(parsed.data, { scripts: deps.config.scripts, triggers: deps.config.triggers });
  for (const request of routed.requests) {
    const jobId = jobIdFor(request.dedupeKey);
    if ((await deps.stores.dedupe.get(DEDUPE.job, jobId))?.status === 'completed') continue;
    const failure = `the Halo event was not processed (${reason})`;
    const existing = await deps.stores.jobs.get(jobId);
    if (existing) {
      await deps.stores.jobs
        .transition(jobId, { from: ['queued'], to: 'failed', patch: { error: failure } })
        .catch((e) => (e instanceof JobTransitionError ? undefined : Promise.reject(e)));
    } else {
      await deps.stores.jobs.upsert({
        id: jobId,
        status: 'failed',
        group: request.script.workerGroup,
        script: request.script.path,
        ...(request.ticketId !== undefined ? { ticketId: request.ticketId } : {}),
        source: `${request.source.kind}:${request.source.ref}`,
        error: failure,
      });
    }
  }
}

/**
 * A `job-results` message the host gave up on: recorded in queueFailures; when it is a verified result, its job
 * (if still open) becomes `failed` with the reason. An unverified message changes no job.
 */
export async function jobResultPoisoned(deps: Container, message: unknown, triggerMetadata: unknown): Promise<void> {
  const described = describePoisonedMessage(QUEUES.jobResults, message, triggerMetadata, deps.settings.secretValues);
  const workers = new Map(deps.config.workers.map((w) => [w.id, w.publicKey] as const));
  const verification = verifySignedResult(safeValue(message), workers);
  const jobId = verification.ok ? verification.result.jobId : undefined;
  const error = jobId ? await lastFailure(deps, QUEUES.jobResults, jobId) : undefined;
  const reason = `the result could not be applied (the host gave up after repeated failures${error ? `; last error: ${error}` : ''})`;
  await deps.stores.queueFailures.record({
    queue: QUEUES.jobResults,
    message: described.preview,
    reason,
    messageId: described.messageId,
    dequeueCount: described.dequeueCount,
  });
  deps.log.error('job-results message poisoned', { messageId: described.messageId, jobId, reason });
  if (!jobId) return;
  await deps.stores.jobs
    .transition(jobId, { from: ['queued', 'running'], to: 'failed', patch: { error: reason } })
    .catch((e) => (e instanceof JobTransitionError ? undefined : Promise.reject(e)));
}

/** Remembers a job-results failure under the job id it claims (for jobResultPoisoned). */
export async function rememberResultFailure(deps: Container, message: unknown, error: unknown): Promise<void> {
  const value = safeValue(message);
  const result = (value as { result?: { jobId?: unknown } } | undefined)?.result;
  if (typeof result?.jobId === 'string') await rememberFailure(deps, QUEUES.jobResults, result.jobId, error);
}

function safeValue(message: unknown): unknown {
  try {
    return queueMessageValue(message);
  } catch {
    return undefined;
  }
}
