import type { Container } from '../../app/container';
import { HaloOutcomeUnknownError } from '../../halo';
import { encodeQueueMessage, signJob } from '../../jobs';
import { jobsQueueName, rawQueue } from '../../storage';
import { buildJob, type JobDefaults, jobIdFor } from '../buildJob';
import { scriptQueueCompletion } from '../haloScriptQueue';
import type { Parameters, ScriptRunRequest } from '../types';
import { addNotesOnce, noteRef, privateNote } from './haloNotes';
import { type JobSnapshot, sourceLabel } from './jobSnapshot';
import { DEDUPE } from './scopes';

export type EnqueueDeps = Pick<Container, 'config' | 'halo' | 'stores' | 'storage' | 'log' | 'now' | 'jobSigningKey'>;

export type EnqueueOutcome =
  | { readonly kind: 'queued'; readonly jobId: string }
  /** The same trigger was queued (or recorded as failed) before: nothing sent. */
  | { readonly kind: 'duplicate'; readonly jobId: string }
  /** Another invocation is queueing the same job right now (or crashed doing so less than a minute ago). */
  | { readonly kind: 'inProgress'; readonly jobId: string }
  /** The job could not be built (e.g. a mapped parameter is missing): recorded failed, and the ticket says why. */
  | { readonly kind: 'failed'; readonly jobId: string; readonly problems: readonly string[] };

export const JOB_DEFAULTS: JobDefaults = { expiresAfterSeconds: 3600 };
/** A job claim this old that never completed (its invocation crashed between record and send) may be taken over. */
const STALE_CLAIM_MS = 60_000;
/** Azure Storage's limit for one queue message. */
const MAX_QUEUE_MESSAGE_CHARS = 64 * 1024;

/**
 * Signs and queues the job for a run request, once per dedupeKey: the dedupe claim on the job id is the lock, the
 * job record is created `queued` under it, then the signed job goes to `jobs-<group>`, then the claim completes.
 * A retry of the same trigger finds the completed claim and sends nothing, so a worker never sees a job twice.
 */
export async function enqueueJob(
  deps: EnqueueDeps,
  request: ScriptRunRequest,
  parameters?: Parameters,
): Promise<EnqueueOutcome> {
  const built = buildJob(request, { now: deps.now(), parameters, defaults: JOB_DEFAULTS });
  if (!built.ok) return failRunRequest(deps, request, built.problems);
  const job = built.job;
  const snapshot: JobSnapshot = {
    script: request.script,
    source: request.source,
    ...(request.ticketId !== undefined ? { ticketId: request.ticketId } : {}),
    expiresAt: job.expiresAt,
    applyTicketChanges: request.source.kind !== 'haloScriptQueue' || deps.config.haloScriptQueue.applyTicketChanges,
  };
  const claim = await deps.stores.dedupe.claim(DEDUPE.job, job.jobId, snapshot, { staleAfterMs: STALE_CLAIM_MS });
  if (!claim.claimed) {
    return { kind: claim.existing.status === 'completed' ? 'duplicate' : 'inProgress', jobId: job.jobId };
  }
  let sent = false;
  try {
    const existing = await deps.stores.jobs.get(job.jobId);
    if (existing && existing.status !== 'queued') {
      await deps.stores.dedupe.complete(DEDUPE.job, job.jobId, { skipped: existing.status });
      return { kind: 'duplicate', jobId: job.jobId };
    }
    if (!existing) {
      await deps.stores.jobs.create({
        id: job.jobId,
        status: 'queued',
        group: job.workerGroup,
        script: job.script,
        ...(job.ticketId !== undefined ? { ticketId: job.ticketId } : {}),
        source: sourceLabel(job.source),
      });
    }
    const text = encodeQueueMessage(signJob(job, await deps.jobSigningKey()));
    if (text.length > MAX_QUEUE_MESSAGE_CHARS) {
      throw new Error(`job ${job.jobId} is ${text.length} characters encoded; a queue message holds at most 64 KiB`);
    }
    await rawQueue(deps.storage, jobsQueueName(job.workerGroup)).sendText(text);
    sent = true;
    await deps.stores.dedupe.complete(DEDUPE.job, job.jobId, { sentAt: deps.now().toISOString() });
  } catch (error) {
    // Not sent: give the claim back so that the retry queues it. Sent but not recorded: keep it, so no resend.
    if (!sent) await deps.stores.dedupe.release(DEDUPE.job, job.jobId).catch(() => false);
    throw error;
  }
  deps.log.info('job queued', { jobId: job.jobId, script: job.script, source: sourceLabel(job.source) });
  return { kind: 'queued', jobId: job.jobId };
}

/**
 * A run that cannot start: once per trigger (under the same job claim), the ticket gets a private note saying why
 * (and the script's failure status), a Halo queue record is marked processed with success false, and the job
 * record is created `failed` with the problems.
 */
export async function failRunRequest(
  deps: EnqueueDeps,
  request: ScriptRunRequest,
  problems: readonly string[],
): Promise<EnqueueOutcome> {
  const jobId = jobIdFor(request.dedupeKey);
  const claim = await deps.stores.dedupe.claim(DEDUPE.job, jobId, null, {
    staleAfterMs: STALE_CLAIM_MS,
    takeOverInDoubt: true,
  });
  if (!claim.claimed) {
    return { kind: claim.existing.status === 'completed' ? 'duplicate' : 'inProgress', jobId };
  }
  const reason = `script "${request.script.name}" could not be started: ${problems.join('; ')}`;
  try {
    if (await deps.stores.jobs.get(jobId)) {
      await deps.stores.dedupe.complete(DEDUPE.job, jobId, { skipped: 'exists' });
      return { kind: 'duplicate', jobId };
    }
    if (request.source.kind === 'haloScriptQueue') {
      const recordId = Number(request.source.ref);
      await deps.halo.markScriptRunsProcessed(scriptQueueCompletion({ recordId, success: false, message: reason }));
    }
    const tellTicket = request.source.kind !== 'haloScriptQueue' || deps.config.haloScriptQueue.applyTicketChanges;
    if (request.ticketId !== undefined && tellTicket) {
      const note = privateNote(request.ticketId, reason, {
        outcomeId: request.script.failureOutcomeId,
        newStatusId: request.script.failureStatusId,
        ref: noteRef('job', jobId),
      });
      await addNotesOnce(deps.halo, [note], { lookFirst: claim.tookOver });
    }
    await deps.stores.jobs.create({
      id: jobId,
      status: 'failed',
      group: request.script.workerGroup,
      script: request.script.path,
      ...(request.ticketId !== undefined ? { ticketId: request.ticketId } : {}),
      source: sourceLabel(request.source),
      error: reason,
    });
    await deps.stores.dedupe.complete(DEDUPE.job, jobId, { failed: true });
  } catch (error) {
    if (error instanceof HaloOutcomeUnknownError) {
      // The note may be on the ticket: the retry takes the claim over and looks for it (by its marker) first.
      const inDoubt = { what: 'the refusal note', since: deps.now().toISOString() };
      await deps.stores.dedupe.annotate(DEDUPE.job, jobId, { inDoubt }).catch(() => false);
    } else await deps.stores.dedupe.release(DEDUPE.job, jobId).catch(() => false);
    throw error;
  }
  deps.log.warn('script run refused', { jobId, reason });
  return { kind: 'failed', jobId, problems };
}
