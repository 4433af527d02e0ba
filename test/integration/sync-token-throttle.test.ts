import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { poisonQueueName, QUEUES, rawQueue } from '../../shared/storage';
import { getRunStatus, requireSync } from '../../shared/sync';
import { postSync, TENANTS } from './sync-helpers';

// Before: one 429 from the token endpoint made MSAL refuse every token request of that tenant for a minute, longer
// than the queue's five quick retries, and the tenant was poisoned with "…Graph said: " and nothing after it.
describe('tenant sync: a throttled token endpoint defers the tenant instead of poisoning it', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ queues: { visibilityTimeout: '00:00:01' } });
  });
  after(async () => {
    await stack?.stop();
  });

  it('Retry-After too long to wait for: the tenant shows "throttled by Entra, retrying at HH:MM" and waits, the others finish', async () => {
    stack.graph.faults.add({
      scope: 'token',
      tenantId: TENANTS.fabrikam,
      times: 1,
      effect: { kind: 'status', status: 429, retryAfter: 900 },
    });
    const started = await postSync(stack, { mode: 'plan' });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const runId = String(started.json.runId);
    // The runner works in the background; the deferred message stays invisible, so the queue never drains.
    const settled = async () => {
      for (let i = 0; i < 240; i++) {
        const status = await getRunStatus(stack.container, requireSync('contacts'), runId);
        const fabrikam = status?.tenants.find((t) => t.tenantId === TENANTS.fabrikam);
        const othersDone = status?.tenants.every((t) => t.tenantId === TENANTS.fabrikam || t.phase === 'done');
        if (fabrikam?.phase === 'retrying' && othersDone) return status!;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error('the run did not settle');
    };
    const status = await settled();
    await new Promise((resolve) => setTimeout(resolve, 3000)); // long enough for five quick retries, had there been any
    const fabrikam = status.tenants.find((t) => t.tenantId === TENANTS.fabrikam)!;
    assert.equal(fabrikam.phase, 'retrying');
    assert.match(fabrikam.error ?? '', /^Throttled by Entra, retrying at \d\d:\d\d UTC: .*Retry-After 900 s/);
    const others = status.tenants.filter((t) => t.tenantId !== TENANTS.fabrikam);
    assert.ok(
      others.every((t) => t.phase === 'done'),
      JSON.stringify(others.map((t) => [t.tenantId, t.phase])),
    );
    // The message waits, invisible, for the block to end; nothing was poisoned.
    assert.equal(await rawQueue(stack.container.storage, QUEUES.tenantSync).peekCount(), 1);
    assert.equal(await rawQueue(stack.container.storage, poisonQueueName(QUEUES.tenantSync)).peekCount(), 0);
    assert.deepEqual(await stack.container.stores.queueFailures.list(QUEUES.tenantSync), []);
  });
});
