import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { runEntra } from './entra-helpers';

describe("Entra ID sync: creates through the Halo client's exactly-once create", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('the answer to the agents batch is lost: the agents are looked up, not created twice, and linked', async () => {
    const emails = () =>
      [...stack.halo.store.tables.agents.values()].map((a) => String(a.email ?? '').toLowerCase()).filter(Boolean);
    const before = emails().length;
    stack.halo.resetCounters();
    stack.halo.faults.add({
      name: 'agents answer lost',
      method: 'POST',
      path: '^/api/Agent$',
      times: 1,
      effect: { kind: 'lostAnswer' },
    });
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    assert.equal(stack.halo.faults.firedCounts()['agents answer lost'], 1);
    const after = emails();
    assert.ok(after.length > before, 'agents were created');
    assert.equal(new Set(after).size, after.length, `no agent twice: ${after.join(', ')}`);
    // The next run finds every agent by its link: nothing is created again.
    const next = await runEntra(stack, 'apply');
    assert.equal(next.run.status, 'succeeded');
    assert.equal(emails().length, after.length);
  });
});
