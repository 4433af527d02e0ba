import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';

describe('local stack', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('serves the functions app, with every client built from the demo settings', async () => {
    const health = await fetch(`${stack.settings.PUBLIC_BASE_URL}/api/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { functions: string[] };
    assert.ok(body.functions.includes('health'));
    assert.ok(stack.container.graph, 'Graph is configured in the demo');
    const statuses = await stack.container.halo.listStatuses();
    assert.ok(statuses.some((s) => s.name === 'Script Succeeded'));
    const key = await stack.container.jobSigningKey();
    assert.equal(key.asymmetricKeyType, 'ed25519');
    assert.equal(stack.keyVault.counters().getsByName['job-signing-key'], 1);
    const org = await stack.container.graph.home().getOrganization();
    assert.equal(org.displayName, 'Bridge MSP');
  });
});
