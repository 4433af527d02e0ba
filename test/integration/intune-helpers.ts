// Helpers for the Intune sync integration tests (not a test file itself).

import type { Rec } from '../../dev/halo-sim';
import type { Stack } from '../../dev/stack';
import { getRunStatus, type RunStatusView, requireSync, startRun } from '../../shared/sync';
import type { IntunePlan } from '../../shared/sync/intune';

export const CONTOSO = '11111111-1111-4111-8111-111111111111';
export const FABRIKAM = '22222222-2222-4222-8222-222222222222';

export const intune = () => requireSync('intune');

/** Drains the queues until the Intune run is no longer running (retries wait for their visibility timeout). */
export async function settleIntune(stack: Stack, runId: string, rounds = 60): Promise<RunStatusView> {
  for (let i = 0; i < rounds; i++) {
    await stack.runner.drain({ idleMs: 150 });
    const status = await getRunStatus(stack.container, intune(), runId);
    if (!status) throw new Error(`run ${runId} does not exist`);
    if (status.run.status !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} did not finish`);
}

/** Starts an Intune run (apply unless said otherwise) and waits for it. */
export async function runIntune(
  stack: Stack,
  options: { mode?: 'plan' | 'apply'; tenantId?: string } = {},
): Promise<RunStatusView> {
  const started = await startRun(stack.container, intune(), {
    mode: options.mode ?? 'apply',
    trigger: 'cli',
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
  });
  if (!started.ok) throw new Error(`the Intune run did not start: ${started.message}`);
  return settleIntune(stack, started.runId);
}

/** The plans of a finished run, from its report. */
export async function plansOf(stack: Stack, runId: string): Promise<IntunePlan[]> {
  const report = await stack.container.reports.get(`intune-sync/${runId}/report.json`);
  if (!report) throw new Error(`run ${runId} has no report`);
  return (JSON.parse(report.content.toString('utf8')) as { tenants: IntunePlan[] }).tenants;
}

/** The Halo simulator's assets of a company. */
export function assetsOf(stack: Stack, clientId: number): Rec[] {
  return [...stack.halo.store.tables.assets.values()].filter((a) => a.client_id === clientId);
}

/** Halo writes (POST) the simulator served, by resource. */
export function haloWrites(stack: Stack): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, count] of Object.entries(stack.halo.counters().byEndpoint)) {
    if (key.startsWith('POST /api/') && key !== 'POST /api/report') out[key] = count;
  }
  return out;
}
