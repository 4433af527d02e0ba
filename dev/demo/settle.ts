import type { Stack } from '../stack';
import type { DemoFlow } from './types';

/**
 * Drains the runner's queues until the system is quiet: no queued messages, no running handler, and no flow
 * reporting work in flight (a job on the worker, a sync run still open). Bounded, so a stuck flow shows up in its
 * summary instead of hanging the demo.
 */
export async function settle(stack: Stack, flows: readonly DemoFlow[], timeoutMs = 90_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await stack.runner.drain({ idleMs: 200, timeoutMs: Math.max(1000, deadline - Date.now()) });
    const busy = await Promise.all(flows.map((flow) => flow.busy?.(stack) ?? Promise.resolve(false)));
    if (!busy.some(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
