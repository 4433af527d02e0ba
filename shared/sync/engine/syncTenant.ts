import { redact } from '../../runtime/redact';
import { MessageRejected, typedQueue } from '../../storage';
import { applyPlan, hasRecordedBatches } from './applyPlan';
import { APPLY_MODE, type SourcePlan, type SyncDefinition, type SyncDeps } from './definition';
import { maybeFinishRun } from './finishRun';
import { type HeldLease, holdLease, LeaseLostError } from './lease';
import { type SourceMessage, sourceMessageSchema } from './messages';
import { getPlan, putPlan } from './runBlobs';
import { getSourceRow, isFinished, type SourceRow, type SourceState, saveSourceState } from './tenantState';

export type SyncSourceResult =
  | { status: 'done'; state: SourceState }
  /** A redelivery of a message whose source already finished: nothing is done again. */
  | { status: 'alreadyFinished' }
  /** The run lost its lease to a newer run: this source is marked failed and nothing more is written for it. */
  | { status: 'superseded'; reason: string }
  /**
   * A service said "not before" (e.g. Entra throttles the tenant's token requests): the message is sent again to
   * become visible then, instead of burning its retries (and being poisoned) while nothing can succeed.
   */
  | { status: 'deferred'; retryAt: string; reason: string };

/**
 * One source of a run: plan it (the sync reads Graph and Halo and runs its pure planner), and in apply mode send
 * the plan in recorded batches while holding the run's lease. The first attempt stores the plan; retries apply
 * that same plan, skipping the batches already sent, and never plan again once a batch was claimed (a plan made
 * from the run's snapshot after some of its writes would repeat them). A failure is recorded on the source's
 * row and thrown, so the host retries the message (and finally gives it up: see markTenantFailed).
 */
export async function syncSource<P extends SourcePlan>(
  deps: SyncDeps,
  sync: SyncDefinition<P>,
  message: SourceMessage,
  delivery: { dequeueCount: number },
): Promise<SyncSourceResult> {
  const { runId, tenantId, mode } = message;
  const log = deps.log.child({ flow: sync.storageName, runId, tenantId });
  const run = await deps.stores.runs.get(sync.storageName, runId);
  const row = run ? await getSourceRow(deps.stores.runs, sync.storageName, runId, tenantId) : undefined;
  if (!run || !row) {
    // Recorded as a rejected queue failure, not retried: it never will exist.
    throw new MessageRejected(run ? `tenant ${tenantId} is not part of run ${runId}` : `run ${runId} does not exist`);
  }
  if (isFinished(row.state)) {
    await maybeFinishRun(deps, sync, runId);
    return { status: 'alreadyFinished' };
  }
  const state: SourceState = { ...row.state, phase: 'syncing', attempts: row.state.attempts + 1 };
  const save = () =>
    saveSourceState(deps.stores.runs, sync.storageName, runId, state, row.record.startedAt, deps.now());
  let lease: HeldLease | undefined;
  try {
    if (mode === APPLY_MODE) lease = await holdLease(deps, sync.storageName, runId);
    await save();
    const plan = await storedOrFreshPlan(deps, sync, { runId, mode, log }, row);
    Object.assign(state, sync.sourceDetails(plan));
    state.changes = countKinds(plan);
    if (mode === APPLY_MODE) {
      const applied = await applyPlan(deps, sync, {
        runId,
        plan,
        dequeueCount: delivery.dequeueCount,
        beforeBatch: () => lease!.check(),
      });
      state.batches = { total: applied.batches, written: applied.batches };
      state.appliedChanges = applied.appliedChanges;
      await sync.afterApply?.(deps, plan, { runId });
      if (applied.recoveredRecords > 0) {
        log.warn('records an interrupted attempt had written were not written again', {
          records: applied.recoveredRecords,
        });
      }
    }
    state.phase = 'done';
    delete state.error;
    await save();
  } catch (error) {
    if (error instanceof LeaseLostError) return superseded(deps, sync, runId, state, row, error);
    state.phase = 'retrying';
    state.error = redact((error as Error).message);
    log.warn(`${sync.title} attempt failed; the message will be retried`, {
      attempt: state.attempts,
      error: state.error,
    });
    await save().catch((saveError) => log.error('could not record the failed attempt', { error: saveError }));
    const retryAt = notBefore(error, deps.now());
    if (!retryAt) throw error;
    const delaySeconds = Math.ceil((retryAt.getTime() - deps.now().getTime()) / 1000);
    // The same message again, validated by the queue's own schema (the typed send checks it).
    const again = { runId, tenantId, mode, kind: sync.kind };
    await typedQueue(deps.storage, sync.queue, sourceMessageSchema(sync)).send(again, {
      visibilityTimeoutSeconds: delaySeconds,
    });
    log.warn(`${sync.title} attempt deferred until ${retryAt.toISOString()}`, { error: state.error });
    return { status: 'deferred', retryAt: retryAt.toISOString(), reason: state.error };
  } finally {
    lease?.stop();
  }
  log.info(`${sync.title}: source synced`, { mode, changes: state.changes, applied: state.appliedChanges });
  await maybeFinishRun(deps, sync, runId);
  return { status: 'done', state };
}

async function storedOrFreshPlan<P extends SourcePlan>(
  deps: SyncDeps,
  sync: SyncDefinition<P>,
  run: { runId: string; mode: string; log: SyncDeps['log'] },
  row: SourceRow,
): Promise<P> {
  const stored = await getPlan<P>(deps.reports, sync.storageName, run.runId, row.state.tenantId);
  if (stored) return stored;
  if (await hasRecordedBatches(deps, sync, run.runId, row.state.tenantId)) {
    throw new Error(
      `the plan of tenant ${row.state.tenantId} is missing although some of its writes were recorded; it is not planned again from the run's snapshot, which predates those writes: start a new run`,
    );
  }
  const plan = await sync.planSource(deps, run, row.state);
  await putPlan(deps.reports, sync.storageName, run.runId, plan);
  return plan;
}

async function superseded(
  deps: SyncDeps,
  sync: SyncDefinition,
  runId: string,
  state: SourceState,
  row: SourceRow,
  error: LeaseLostError,
): Promise<SyncSourceResult> {
  const reason = `not synced: ${error.message} (a run whose lease expired was taken over; nothing more is written for it)`;
  await saveSourceState(
    deps.stores.runs,
    sync.storageName,
    runId,
    { ...state, phase: 'failed', error: reason },
    row.record.startedAt,
    deps.now(),
  );
  deps.log.warn(`${sync.title}: source left to the run that took over`, { runId, tenantId: state.tenantId, reason });
  await maybeFinishRun(deps, sync, runId);
  return { status: 'superseded', reason };
}

function countKinds(plan: SourcePlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of plan.changes) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
  return counts;
}

/** Errors that know when trying again makes sense carry `retryAt` (GraphAccessError for a throttled token endpoint). */
function notBefore(error: unknown, now: Date): Date | undefined {
  const retryAt = (error as { retryAt?: unknown } | null)?.retryAt;
  if (!(retryAt instanceof Date) || retryAt.getTime() <= now.getTime()) return undefined;
  // A second of margin past the block; never more than two hours (Retry-After is capped at one).
  return new Date(Math.min(retryAt.getTime() + 1000, now.getTime() + 2 * 3600_000));
}
