import { z } from 'zod';
import type { Container } from '../../app/container';
import { HaloOutcomeUnknownError } from '../../halo';
import {
  isNoticeMessage,
  type JobResult,
  signedNoticeSchema,
  signedResultSchema,
  verifySignedResult,
} from '../../jobs';
import { MessageRejected } from '../../storage';
import { evaluateResult } from '../evaluateResult';
import { type JobStatus, nextJobStatus } from '../jobStatus';
import { applyEvaluation } from './applyEvaluation';
import { handleJobStarted } from './handleJobStarted';
import { readJobSnapshot } from './jobSnapshot';
import { DEDUPE } from './scopes';

export type ResultOutcome =
  /** Verified and applied: the job's new status (running for a started notice, else final), what Halo got. */
  | { readonly kind: 'applied'; readonly jobId: string; readonly status: JobStatus; readonly wrote: readonly string[] }
  /** Verified, but changes nothing: a duplicate delivery, a late result, a worker's replay refusal. */
  | { readonly kind: 'ignored'; readonly jobId: string; readonly detail: string };

/** A `job-results` message: a signed result or a signed notice, each in its own envelope (verified by the handler). */
export const jobResultsMessageSchema = z.union([signedResultSchema, signedNoticeSchema]);
export type JobResultsMessage = z.output<typeof jobResultsMessageSchema>;

/** A result claim this old that never completed (its invocation crashed) may be taken over. */
const STALE_CLAIM_MS = 60_000;

/**
 * One `job-results` message: a worker's `started` notice (see handleJobStarted) or a result. Only a result signed
 * by a registered worker of the job's group counts. The first conclusive result of a job claims it (dedupe by job
 * id), writes the outcome to Halo once, then moves the job record to its final status; a second delivery, or a
 * later result, changes nothing. If a Halo write fails, the claim is given back and the error thrown, so the retry
 * (the job still open) writes again; if its outcome is unknown, the claim is kept in doubt and the retry takes it
 * over and looks for the note (by its marker) before writing.
 */
export async function handleJobResult(deps: Container, message: JobResultsMessage): Promise<ResultOutcome> {
  if (isNoticeMessage(message)) {
    const started = await handleJobStarted(deps, message);
    if (started.kind === 'refused') rejected(started.detail);
    return started.kind === 'applied' ? { ...started, wrote: [] } : started;
  }
  const workers = new Map(deps.config.workers.map((w) => [w.id, w.publicKey] as const));
  const verification = verifySignedResult(message, workers);
  if (!verification.ok) rejected(`${verification.reason}: ${verification.detail}`);
  const result = verification.result;
  if (result.status === 'rejected' && result.reason?.startsWith('replayed')) {
    // The worker saw the same job twice and refused the copy: that says nothing about the run of the original.
    return { kind: 'ignored', jobId: result.jobId, detail: 'the worker refused a replayed copy of the job' };
  }
  const job = await deps.stores.jobs.get(result.jobId);
  if (!job) rejected(`result for unknown job ${result.jobId} from worker ${result.workerId}`);
  const group = deps.config.workers.find((w) => w.id === result.workerId)?.group;
  if (group !== job.group) {
    rejected(`worker ${result.workerId} (group ${group}) may not report on a job of ${job.group}`);
  }
  const snapshot = await readJobSnapshot(deps, job.id);
  if (!snapshot) rejected(`job ${job.id} has no stored script definition`);

  const claimData = { workerId: result.workerId, finishedAt: result.finishedAt };
  const claim = await deps.stores.dedupe.claim(DEDUPE.jobResult, job.id, claimData, {
    staleAfterMs: STALE_CLAIM_MS,
    takeOverInDoubt: true,
  });
  if (!claim.claimed) {
    if (claim.existing.status === 'completed') return { kind: 'ignored', jobId: job.id, detail: 'already applied' };
    throw new Error(`the result of job ${job.id} is being applied by another invocation; retrying`);
  }
  try {
    const evaluation = evaluateResult(result, snapshot.script, {
      source: snapshot.source,
      secrets: deps.settings.secretValues,
      applyTicketChanges: snapshot.applyTicketChanges,
    });
    const next = nextJobStatus(job.status as JobStatus, { type: 'finished', status: evaluation.jobStatus });
    if (next === 'ignored') {
      await deps.stores.dedupe.complete(DEDUPE.jobResult, job.id, { ignored: job.status });
      return { kind: 'ignored', jobId: job.id, detail: `the job is already ${job.status}` };
    }
    // Halo first, then the record: a retry after a failed Halo write finds the job still open and writes again.
    const wrote = await applyEvaluation(deps, snapshot.ticketId, evaluation, { id: job.id, lookFirst: claim.tookOver });
    await deps.stores.jobs.transition(job.id, {
      from: ['queued', 'running'],
      to: next,
      patch: {
        workerId: result.workerId,
        output: outputOf(result),
        ...(evaluation.outcome === 'failure' ? { error: evaluation.summary } : {}),
        ...(wrote.length > 0 ? { haloWrite: wrote.join('; ') } : {}),
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
      },
    });
    await deps.stores.dedupe.complete(DEDUPE.jobResult, job.id, { status: evaluation.jobStatus, wrote });
    deps.log.info('job result applied', { jobId: job.id, summary: evaluation.summary, wrote });
    return { kind: 'applied', jobId: job.id, status: evaluation.jobStatus, wrote };
  } catch (error) {
    if (error instanceof HaloOutcomeUnknownError) {
      // The note may be on the ticket: keep the claim, so that the retry takes it over and looks before writing.
      const inDoubt = { what: 'the result note', since: deps.now().toISOString() };
      await deps.stores.dedupe.annotate(DEDUPE.jobResult, job.id, { ...claimData, inDoubt }).catch(() => false);
    } else await deps.stores.dedupe.release(DEDUPE.jobResult, job.id).catch(() => false);
    throw error;
  }
}

function outputOf(result: JobResult): string {
  return result.stderr ? `${result.stdout}\n--- stderr ---\n${result.stderr}` : result.stdout;
}

/** Not accepted (unregistered worker, bad signature, unknown job): recorded as a rejected queue failure, not retried. */
function rejected(reason: string): never {
  throw new MessageRejected(reason);
}
