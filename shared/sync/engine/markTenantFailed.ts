import type { Container } from '../../app/container';
import type { QueueFailure } from '../../storage';
import type { SyncDefinition } from './definition';
import { maybeFinishRun } from './finishRun';
import type { SourceMessage } from './messages';
import { getSourceRow, saveSourceState } from './tenantState';

export type PoisonDeps = Pick<Container, 'stores' | 'reports' | 'now' | 'log' | 'settings' | 'config'>;

/**
 * A source message that was given up on (already recorded as a queue failure, with its last error): the source is
 * marked failed with the last attempt's error (so the run shows why), and the run finishes if it was the last
 * source. Idempotent: a source already failed or done is left as it is.
 */
export async function markSourceFailed(
  deps: PoisonDeps,
  sync: SyncDefinition,
  message: SourceMessage,
  failure: QueueFailure,
): Promise<{ runId: string; tenantId: string; reason: string }> {
  const { runId, tenantId } = message;
  const row = await getSourceRow(deps.stores.runs, sync.storageName, runId, tenantId);
  if (!row) {
    const reason = `run ${runId} has no tenant ${tenantId}`;
    deps.log.error(`${sync.title} message given up on for a tenant the run does not have`, { runId, tenantId });
    return { runId, tenantId, reason };
  }
  const attempts = Math.max(row.state.attempts, failure.dequeueCount ?? 0);
  const reason = `failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${row.state.error ?? failure.reason}`;
  if (row.state.phase !== 'failed' && row.state.phase !== 'done') {
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
