// Helpers for the tenant sync integration tests (not a test file itself).
import type { Stack } from '../../dev/stack';
import { getRunStatus, type RunStatusView, requireSync } from '../../shared/sync';

export const TENANTS = {
  contoso: '11111111-1111-4111-8111-111111111111',
  fabrikam: '22222222-2222-4222-8222-222222222222',
  northwind: '33333333-3333-4333-8333-333333333333',
  tailspin: '44444444-4444-4444-8444-444444444444',
} as const;

export async function postSync(
  stack: Stack,
  body: unknown,
  options: { key?: string | null; raw?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const key = options.key === undefined ? stack.keys.functionKey : options.key;
  const response = await fetch(`${stack.runner.url}/api/tenant-sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-functions-key': key } : {}) },
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Drains the queues until the run is no longer running (retries wait for their visibility timeout). */
export async function settleRun(stack: Stack, runId: string, rounds = 40): Promise<RunStatusView> {
  for (let i = 0; i < rounds; i++) {
    await stack.runner.drain({ idleMs: 150 });
    const status = await getRunStatus(stack.container, requireSync('contacts'), runId);
    if (!status) throw new Error(`run ${runId} does not exist`);
    if (status.run.status !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} did not finish`);
}

/** API requests the Halo simulator served, by `METHOD /api/resource` (token requests left out). */
export function haloApiRequests(stack: Stack): Record<string, number> {
  return Object.fromEntries(Object.entries(stack.halo.counters().byEndpoint).filter(([k]) => k.includes(' /api/')));
}

/** How many Halo contacts carry each Entra object id (more than one is a duplicate). */
export function contactsByOid(stack: Stack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const user of stack.halo.store.tables.users.values()) {
    const oid = String(user.azureoid ?? '');
    if (oid !== '') counts.set(oid, (counts.get(oid) ?? 0) + 1);
  }
  return counts;
}
