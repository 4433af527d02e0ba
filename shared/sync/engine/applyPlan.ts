import type { Container } from '../../app/container';
import type { SourcePlan, SyncDefinition, SyncDeps } from './definition';
import { batchKey, dedupeScopes } from './keys';

export interface ApplyResult {
  batches: number;
  /** Batches sent by this attempt (the others were sent by an earlier one). */
  sent: number;
  appliedChanges: number;
  /** Records left out because an interrupted earlier attempt had already written them. */
  recoveredRecords: number;
}

interface BatchClaim {
  dequeueCount: number;
  resource: string;
  records: number;
}

/**
 * Sends a source's plan to Halo in batches (≤100 records per POST), each recorded in the dedupe store, so that a
 * retried message never sends a batch twice. The plan itself is fixed by the first attempt (stored with the run).
 * A batch that an earlier delivery claimed but never completed may or may not have reached Halo: the sync's
 * `beforeSend` looks at Halo first (recovering) and only what is missing is sent. `beforeBatch` runs before each
 * batch is claimed (the run's lease check: a run that lost its lease stops before its next write).
 */
export async function applyPlan<P extends SourcePlan>(
  deps: SyncDeps,
  sync: SyncDefinition<P>,
  input: { runId: string; plan: P; dequeueCount: number; beforeBatch?: () => Promise<void> },
): Promise<ApplyResult> {
  const { runId, plan, dequeueCount } = input;
  const dedupe = deps.stores.dedupe;
  const scope = dedupeScopes(sync.storageName).batch;
  const batches = sync.writes(plan, { batchSize: sync.settings(deps.config).writeBatchSize });
  const result: ApplyResult = { batches: batches.length, sent: 0, appliedChanges: 0, recoveredRecords: 0 };
  for (const [index, batch] of batches.entries()) {
    const key = batchKey(runId, plan.tenantId, index);
    const busy = () =>
      new Error(
        `write batch ${index + 1} of ${batches.length} (${batch.resource}) for tenant ${plan.tenantId} is being sent by another delivery of this message; retrying later`,
      );
    const existing = await dedupe.get(scope, key);
    if (existing?.status === 'completed') {
      result.appliedChanges += batch.changeCount;
      continue;
    }
    if (existing && claimedBy(existing.data) >= dequeueCount) throw busy();
    await input.beforeBatch?.();
    const data: BatchClaim = { dequeueCount, resource: batch.resource, records: batch.bodies.length };
    // A claim left by an earlier delivery is abandoned (that delivery failed or its lease ran out): take it over.
    const claim = await dedupe.claim(scope, key, data, existing ? { staleAfterMs: 0 } : {});
    if (!claim.claimed) {
      if (claim.existing.status !== 'completed') throw busy();
      result.appliedChanges += batch.changeCount;
      continue;
    }
    const bodies = await sync.beforeSend(deps, batch, { plan, recovering: claim.tookOver, runId });
    result.recoveredRecords += batch.bodies.length - bodies.length;
    if (bodies.length > 0) {
      if (sync.send) await sync.send(deps, batch, bodies, { plan, runId });
      else await deps.halo.post(batch.resource, bodies);
    }
    await dedupe.complete(scope, key, { records: bodies.length });
    result.sent++;
    result.appliedChanges += batch.changeCount;
  }
  return result;
}

/** Whether any write batch of this source was claimed in this run (so its plan must not be computed again). */
export async function hasRecordedBatches(
  deps: Pick<Container, 'stores'>,
  sync: Pick<SyncDefinition, 'storageName'>,
  runId: string,
  tenantId: string,
): Promise<boolean> {
  return (
    (await deps.stores.dedupe.get(dedupeScopes(sync.storageName).batch, batchKey(runId, tenantId, 0))) !== undefined
  );
}

function claimedBy(data: unknown): number {
  const value = (data as Partial<BatchClaim> | null)?.dequeueCount;
  return typeof value === 'number' ? value : 0;
}
