import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { haloApiRequests, postSync, settleRun, TENANTS } from './sync-helpers';

describe('tenant sync: one tenant failing never stalls the others', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ queues: { visibilityTimeout: '00:00:00.200', maxDequeueCount: 3 } });
  });
  after(async () => {
    await stack.stop();
  });

  it('a tenant without consent fails alone, visibly; a failed write batch is retried without duplicates', async () => {
    stack.graph.revokeConsent(TENANTS.fabrikam);
    // The first contact batch Halo receives is rejected: that tenant's message is retried and resumes.
    stack.halo.faults.add({ method: 'POST', path: '/api/Users', times: 1, effect: { kind: 'status', status: 400 } });
    stack.halo.resetCounters();
    const started = await postSync(stack, { mode: 'apply' });
    assert.equal(started.status, 202);
    const status = await settleRun(stack, String(started.json.runId));

    assert.equal(status.run.status, 'partial');
    const fabrikam = status.tenants.find((t) => t.tenantId === TENANTS.fabrikam)!;
    assert.equal(fabrikam.phase, 'failed');
    assert.equal(fabrikam.status, 'failed');
    assert.match(fabrikam.error!, /failed after 3 attempts: .*not consented in tenant 22222222/);
    for (const id of [TENANTS.contoso, TENANTS.northwind, TENANTS.tailspin]) {
      assert.equal(status.tenants.find((t) => t.tenantId === id)!.phase, 'done', id);
    }
    const summary = status.run.summary as {
      outcome: { failed: number; failures: { tenantId: string; error: string }[] };
    };
    assert.equal(summary.outcome.failed, 1);
    assert.equal(summary.outcome.failures[0]!.tenantId, TENANTS.fabrikam);
    const poisoned = await stack.container.stores.queueFailures.list('tenant-sync');
    assert.equal(poisoned.length, 1);
    assert.match(poisoned[0]!.reason, /not consented/);

    // Fabrikam was not touched; the others were, each contact exactly once.
    const links = stack.halo.store.tables.clients.get(11)!.azure_tenants as unknown[];
    assert.deepEqual(links, []);
    const oids = [...stack.halo.store.tables.users.values()].map((u) => u.azureoid).filter(Boolean);
    assert.equal(new Set(oids).size, oids.length, 'no contact created twice');
    assert.ok(oids.includes('11111111-0000-4000-8000-000000000001'));
    assert.ok(oids.includes('33333333-0000-4000-8000-000000000001'));

    const requests = haloApiRequests(stack);
    assert.equal(requests['POST /api/client'], 1, 'the Northwind link is sent once, not again on retry');
    assert.equal(requests['POST /api/users'], 3, 'two contact batches, one of them twice (the rejected one)');
    assert.equal(requests['GET /api/users'], 1, 'the retried batch checked once which contacts exist');
  });

  it('after consent is restored, the next run syncs the failed tenant', async () => {
    stack.graph.restoreConsent(TENANTS.fabrikam);
    const started = await postSync(stack, { mode: 'apply', tenantId: TENANTS.fabrikam });
    const status = await settleRun(stack, String(started.json.runId));
    assert.equal(status.run.status, 'succeeded');
    const links = stack.halo.store.tables.clients.get(11)!.azure_tenants as { azure_tenant_id: string }[];
    assert.deepEqual(
      links.map((l) => l.azure_tenant_id),
      [TENANTS.fabrikam],
    );
  });
});
