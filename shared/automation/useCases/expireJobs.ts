import { odata } from '@azure/data-tables';
import type { Container } from '../../app/container';
import type { ActionDraft, ScriptRunResult } from '../../halo';
import { JobTransitionError } from '../../storage';
import { scriptQueueCompletion } from '../haloScriptQueue';
import { privateNote } from './haloNotes';
import { readJobSnapshot } from './jobSnapshot';

/** A worker accepts a job until expiresAt plus its clock skew (60 s by default): wait longer than that. */
export const EXPIRY_GRACE_MS = 120_000;

export interface ExpiryOutcome {
  readonly expired: readonly string[];
}

/**
 * Jobs still `queued` after their expiry (plus grace) were never picked up by a worker: each becomes `expired`,
 * its ticket gets a private note (one Halo request for all of them), and a Halo queue record is marked processed
 * with success false. A job a result reaches first is not touched (the transition only moves `queued`).
 */
export async function expireOverdueJobs(deps: Container): Promise<ExpiryOutcome> {
  const now = deps.now();
  const queued = await deps.stores.jobs.list({ filter: odata`status eq ${'queued'}` });
  const expired: string[] = [];
  const notes: ActionDraft[] = [];
  const completions: ScriptRunResult[] = [];
  for (const job of queued) {
    const snapshot = await readJobSnapshot(deps, job.id);
    const expiresAt = snapshot ? Date.parse(snapshot.expiresAt) : Date.parse(job.createdAt) + 3_600_000;
    if (now.getTime() < expiresAt + EXPIRY_GRACE_MS) continue;
    const reason = `no worker of group "${job.group}" picked the job up before it expired at ${new Date(expiresAt).toISOString()}`;
    try {
      await deps.stores.jobs.transition(job.id, { from: ['queued'], to: 'expired', patch: { error: reason } });
    } catch (error) {
      if (error instanceof JobTransitionError) continue;
      throw error;
    }
    expired.push(job.id);
    deps.log.warn('job expired', { jobId: job.id, reason });
    const name = snapshot?.script.name ?? job.script;
    if (snapshot?.source.kind === 'haloScriptQueue') {
      completions.push(
        ...scriptQueueCompletion({ recordId: Number(snapshot.source.ref), success: false, message: reason }),
      );
    }
    if (job.ticketId !== undefined && (snapshot?.applyTicketChanges ?? true)) {
      notes.push(
        privateNote(job.ticketId, `Script "${name}" did not run: ${reason}.`, {
          outcomeId: snapshot?.script.failureOutcomeId,
        }),
      );
    }
  }
  if (completions.length > 0) await deps.halo.markScriptRunsProcessed(completions);
  if (notes.length > 0) await deps.halo.addActions(notes);
  return { expired };
}
