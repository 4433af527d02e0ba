import type { Stack } from '../dev/stack';
import { getRunStatus, requireSync, startRun } from '../shared/sync';
import type { SyncKind } from '../shared/sync/engine/definition';

/** Starts an apply run of one sync and drains the local stack until the run ends; returns its id and wall time. */
export async function applyRunToEnd(stack: Stack, syncName: SyncKind): Promise<{ runId: string; wallMs: number }> {
  const started = performance.now();
  const sync = requireSync(syncName);
  const result = await startRun(stack.container, sync, { mode: 'apply', trigger: 'cli' });
  if (!result.ok) throw new Error(result.message);
  for (;;) {
    await stack.runner.drain({ idleMs: 100, timeoutMs: 600_000 });
    const status = await getRunStatus(stack.container, sync, result.runId);
    if (status?.run.status === 'running') continue;
    if (status?.run.status !== 'succeeded') throw new Error(`run ended ${status?.run.status}: ${status?.run.error}`);
    return { runId: result.runId, wallMs: performance.now() - started };
  }
}
