import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { contactsByOid, haloApiRequests, postSync, settleRun, TENANTS } from './sync-helpers';

// The contacts and links a clean apply run of the demo tenants writes (test/integration/sync-apply.test.ts).
const CREATED_OIDS = [
  '11111111-0000-4000-8000-000000000001',
  '11111111-0000-4000-8000-000000000003',
  '33333333-0000-4000-8000-000000000001',
];

describe('tenant sync: every contact and tenant link written once, whatever answer is lost', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  const linksOf = (clientId: number) =>
    ((stack.halo.store.tables.clients.get(clientId)?.azure_tenants ?? []) as { azure_tenant_id: string }[]).map((l) =>
      l.azure_tenant_id.toLowerCase(),
    );

  it('a contact batch and a link whose answers were lost are looked up on the retry: nothing twice, nothing lost', async () => {
    // Halo performs each write, then the answer is lost (every contact batch once, one link). The contact batch is never re-sent blindly: the retried
    // delivery looks the company's contacts up (list rows carry no azureoid: matched by email) and sends only
    // what is missing; the link update carries the company id, so it is repeatable and re-sent as it is.
    stack.halo.faults.add({
      method: 'POST',
      path: '^/api/Users$',
      times: 3,
      effect: { kind: 'lostAnswer', answer: 502 },
    });
    stack.halo.faults.add({
      method: 'POST',
      path: '^/api/Client$',
      times: 1,
      effect: { kind: 'lostAnswer', answer: 'drop' },
    });

    const started = await postSync(stack, { mode: 'apply' });
    assert.equal(started.status, 202);
    const status = await settleRun(stack, String(started.json.runId));
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.run.summary));

    const oids = contactsByOid(stack);
    assert.deepEqual(
      [...oids].filter(([, n]) => n > 1),
      [],
      'no contact created twice',
    );
    for (const oid of CREATED_OIDS) assert.equal(oids.get(oid), 1, `${oid} created once`);
    const requests = haloApiRequests(stack);
    assert.ok(
      (requests['POST /api/users'] ?? 0) >= 2,
      'the lost batch was followed by a look-up and a resend of what was missing only',
    );
    for (const [clientId, tenant] of [
      [11, TENANTS.fabrikam],
      [12, TENANTS.northwind],
    ] as const) {
      const links = linksOf(clientId);
      assert.equal(links.filter((l) => l === tenant).length, 1, `client ${clientId} linked to ${tenant} once`);
    }
  });
});
