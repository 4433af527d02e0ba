// Helpers for the Entra ID sync integration tests (not a test file itself).
import type { Stack } from '../../dev/stack';
import { getRunStatus, type RunStatusView, requireSync, startRun } from '../../shared/sync';
import type { EntraPlan } from '../../shared/sync/entra';

export const PARTNER = '99999999-9999-4999-8999-999999999999';
export const STAFF = (n: number) => `99999999-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
export const GROUPS = {
  agents: '99999999-9999-4000-8000-000000000011',
  admins: '99999999-9999-4000-8000-000000000012',
  cab: '99999999-9999-4000-8000-000000000013',
} as const;
export const ROLE = {
  admin: '2f6a1c55-8d1e-4f0b-9a57-7e1c0c0a0001',
  tech: '2f6a1c55-8d1e-4f0b-9a57-7e1c0c0a0002',
} as const;

export const entra = () => requireSync('entra');

/** Starts an Entra ID run and drains the queues until it is no longer running. */
export async function runEntra(stack: Stack, mode: 'plan' | 'apply' = 'apply'): Promise<RunStatusView> {
  const started = await startRun(stack.container, entra(), { mode, trigger: 'cli' });
  if (!started.ok) throw new Error(`the Entra ID sync did not start: ${started.message}`);
  return settle(stack, started.runId);
}

export async function settle(stack: Stack, runId: string, rounds = 60): Promise<RunStatusView> {
  for (let i = 0; i < rounds; i++) {
    // A demo run on a loaded 2-core machine can take minutes; each round waits until the queues are idle.
    await stack.runner.drain({ idleMs: 150, timeoutMs: 240_000 });
    const status = await getRunStatus(stack.container, entra(), runId);
    if (!status) throw new Error(`run ${runId} does not exist`);
    if (status.run.status !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} did not finish`);
}

/** The connections' plans, from the run's report. */
export async function reportOf(
  stack: Stack,
  runId: string,
): Promise<{ connections: EntraPlan[]; counts: Record<string, number> }> {
  const blob = await stack.container.reports.get(`entra-sync/${runId}/report.json`);
  if (!blob) throw new Error(`no report for run ${runId}`);
  return JSON.parse(blob.content.toString('utf8'));
}

/** Graph requests since `before` (an index into the simulator's request log), by route. */
export function graphRoutesSince(stack: Stack, before: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of stack.graph.requests().slice(before)) out[r.route] = (out[r.route] ?? 0) + 1;
  return out;
}

/** Halo API requests by `METHOD /api/resource` (token requests left out). */
export function haloApi(stack: Stack): Record<string, number> {
  return Object.fromEntries(Object.entries(stack.halo.counters().byEndpoint).filter(([k]) => k.includes(' /api/')));
}
