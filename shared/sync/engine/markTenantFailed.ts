import type { Container } from '../../app/container';
import { describePoisonedMessage } from '../../runtime/poison';
import type { SyncDefinition } from './definition';
import { maybeFinishRun } from './finishRun';
import { sourceMessageSchema } from './messages';
import { getSourceRow, saveSourceState } from './tenantState';

export type PoisonDeps = Pick<Container, 'stores' | 'reports' | 'now' | 'log' | 'settings' | 'config'>;

/**
 * A source message the host gave up on: the poison is recorded, the source is marked failed with the last
 * attempt's error (so the run shows why), and the run finishes if it was the last source. Idempotent: a source
 * already marked failed is not recorded twice.
 */
export async function markSourceFailed(
  deps: PoisonDeps,
  sync: SyncDefinition,
  message: unknown,
  triggerMetadata: unknown,
): Promise<{ runId?: string; tenantId?: string; reason: string }> {
  const poisoned = describePoisonedMessage(sync.queue, message, triggerMetadata, deps.settings.secretValues);
  const parsed = sourceMessageSchema(sync).safeParse(message);
  const row = parsed.success
    ? await getSourceRow(deps.stores.runs, sync.storageName, parsed.data.runId, parsed.data.tenantId)
    : undefined;
  if (!parsed.success || !row) {
    const reason = parsed.success
      ? `run ${parsed.data.runId} has no tenant ${parsed.data.tenantId}`
      : `not a ${sync.queue} message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
    await recordPoison(deps, poisoned, reason);
    return { reason };
  }
  const { runId, tenantId } = parsed.data;
  const attempts = Math.max(row.state.attempts, poisoned.dequeueCount);
  const reason = `failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${row.state.error ?? 'no error was recorded (the attempts may have timed out)'}`;
  if (row.state.phase !== 'failed' && row.state.phase !== 'done') {
    await recordPoison(deps, poisoned, reason);
    await saveSourceState(
      deps.stores.runs,
      sync.storageName,
      runId,
      { ...row.state, phase: 'failed', error: reason },
      row.record.startedAt,
      deps.now(),
    );
    deps.log.error(`${sync.title} failed for a tenant`, { runId, tenantId, reason });
  }
  await maybeFinishRun(deps, sync, runId);
  return { runId, tenantId, reason };
}

async function recordPoison(
  deps: PoisonDeps,
  poisoned: ReturnType<typeof describePoisonedMessage>,
  reason: string,
): Promise<void> {
  await deps.stores.queueFailures.record({
    queue: poisoned.queue,
    message: poisoned.preview,
    reason,
    messageId: poisoned.messageId,
    dequeueCount: poisoned.dequeueCount,
  });
}
