import { odata } from '@azure/data-tables';
import type { Container } from '../../app/container';
import type { ActionDraft, ScriptRunResult } from '../../halo';
import { type JobRecord, JobTransitionError } from '../../storage';
import { scriptQueueCompletion } from '../haloScriptQueue';
import { addNotesOnce, noteRef, privateNote } from './haloNotes';
import { type JobSnapshot, readJobSnapshot } from './jobSnapshot';

/** A worker accepts a job until expiresAt plus its clock skew (60 s by default): wait longer than that. */
export const EXPIRY_GRACE_MS = 120_000;

/** A running job gets its timeout plus this long (the worker's kill, the result's trip) before it counts as lost. */
export const RUNNING_GRACE_MS = 10 * 60_000;

export interface ExpiryOutcome {
  readonly expired: readonly string[];
  /** Jobs a worker started but never finished reporting on (the worker died or lost its queue access). */
  readonly interrupted: readonly string[];
}

interface Overdue {
  readonly job: JobRecord;
  readonly snapshot: JobSnapshot | undefined;
  readonly to: 'expired' | 'interrupted';
  readonly reason: string;
}

/**
 * Jobs still `queued` after their expiry (plus grace) were never picked up by a worker: each becomes `expired`.
 * Jobs `running` past their timeout (plus grace) lost their worker: each becomes `interrupted`. Either way the
 * ticket gets a private note (one Halo request for all of them) and a Halo queue record is marked processed with
 * success false. A job a result reaches first is not touched (the transition only moves from the status it saw).
 */
export async function expireOverdueJobs(deps: Container): Promise<ExpiryOutcome> {
  const now = deps.now().getTime();
  const overdue: Overdue[] = [];
  for (const job of await deps.stores.jobs.list({ filter: odata`status eq ${'queued'}` })) {
    const snapshot = await readJobSnapshot(deps, job.id);
    const expiresAt = snapshot ? Date.parse(snapshot.expiresAt) : Date.parse(job.createdAt) + 3_600_000;
    if (now < expiresAt + EXPIRY_GRACE_MS) continue;
    const reason = `no worker of group "${job.group}" picked the job up before it expired at ${new Date(expiresAt).toISOString()}`;
    overdue.push({ job, snapshot, to: 'expired', reason });
  }
  for (const job of await deps.stores.jobs.list({ filter: odata`status eq ${'running'}` })) {
    const snapshot = await readJobSnapshot(deps, job.id);
    const startedAt = Date.parse(job.startedAt ?? job.createdAt);
    const timeoutMs = (snapshot?.script.timeoutSeconds ?? 3600) * 1000;
    if (now < startedAt + timeoutMs + RUNNING_GRACE_MS) continue;
    const reason = `worker "${job.workerId ?? 'unknown'}" started the job at ${new Date(startedAt).toISOString()} and never reported a result (the worker may have stopped or lost access to its queues)`;
    overdue.push({ job, snapshot, to: 'interrupted', reason });
  }

  const done = { expired: [] as string[], interrupted: [] as string[] };
  const notes: ActionDraft[] = [];
  const completions: ScriptRunResult[] = [];
  for (const { job, snapshot, to, reason } of overdue) {
    try {
      await deps.stores.jobs.transition(job.id, {
        from: [to === 'expired' ? 'queued' : 'running'],
        to,
        patch: { error: reason },
      });
    } catch (error) {
      if (error instanceof JobTransitionError) continue;
      throw error;
    }
    done[to].push(job.id);
    deps.log.warn(`job ${to}`, { jobId: job.id, reason });
    const name = snapshot?.script.name ?? job.script;
    if (snapshot?.source.kind === 'haloScriptQueue') {
      completions.push(
        ...scriptQueueCompletion({ recordId: Number(snapshot.source.ref), success: false, message: reason }),
      );
    }
    if (job.ticketId !== undefined && (snapshot?.applyTicketChanges ?? true)) {
      const text =
        to === 'expired' ? `Script "${name}" did not run: ${reason}.` : `Script "${name}" was interrupted: ${reason}.`;
      const ref = noteRef(`job ${to}`, job.id);
      notes.push(privateNote(job.ticketId, text, { outcomeId: snapshot?.script.failureOutcomeId, ref }));
    }
  }
  if (completions.length > 0) await deps.halo.markScriptRunsProcessed(completions);
  // The jobs have moved already, so a lost answer is looked up (by each note's marker) rather than lost or doubled.
  await addNotesOnce(deps.halo, notes, { lookFirst: false });
  return done;
}
