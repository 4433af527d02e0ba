import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import { deleteUser, updateUser } from '../../dev/graph-sim/directory';
import { GraphAccessError, type GraphClientFactory } from '../../shared/graph';
import { createLogger, memorySink } from '../../shared/runtime/logger';
import { simulatorGraph } from '../support/graph';

const CONTOSO = '11111111-1111-4111-8111-111111111111';
const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const TAILSPIN = '44444444-4444-4444-8444-444444444444';

describe('graph adapter against the simulator', () => {
  let sim: GraphSimulator;
  let graph: GraphClientFactory;
  const sink = memorySink();
  const sleeps: number[] = [];

  const factory = (secret: string) =>
    simulatorGraph(sim, {
      credential: { kind: 'secret', secret },
      log: createLogger({ sink, secrets: () => [secret], level: 'debug' }),
      retry: { maxRetries: 3, delaySeconds: 0, maxBatchRetries: 3 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

  before(async () => {
    sim = await startGraphSimulator();
    graph = factory(sim.store.app.secrets[0]!);
  });
  after(async () => {
    await sim.stop();
  });

  it('gets one token per tenant and reuses it', async () => {
    const contoso = graph.forTenant(CONTOSO);
    await contoso.getOrganization();
    await contoso.listDomains();
    const fabrikam = graph.forTenant(FABRIKAM);
    const org = await fabrikam.getOrganization();
    await fabrikam.listSubscribedSkus();
    assert.equal(org.id, FABRIKAM);
    assert.equal(sim.counters({ tenantId: CONTOSO }).token, 1);
    assert.equal(sim.counters({ tenantId: FABRIKAM }).token, 1);
    assert.equal(graph.forTenant(CONTOSO), contoso);
  });

  it('serves each tenant only its own data', async () => {
    const users = await graph.forTenant(CONTOSO).listUsers();
    assert.equal(users.length, 7, 'six members and one B2B guest');
    assert.ok(users.every((u) => /@contoso\.(com|onmicrosoft\.com)$/.test(u.userPrincipalName ?? '')));
    const customers = await graph.home().listDelegatedAdminCustomers();
    assert.deepEqual(customers.map((c) => c.displayName).sort(), [
      'Contoso Ltd',
      'Fabrikam Inc',
      'Northwind Traders',
      'Tailspin Toys',
    ]);
    const contracts = await graph.home().listContracts();
    assert.equal(contracts.find((c) => c.customerId === CONTOSO)?.defaultDomainName, 'contoso.com');
  });

  it('follows nextLinks across pages and counts the requests', async () => {
    const northwind = '33333333-3333-4333-8333-333333333333';
    const client = graph.forTenant(northwind);
    const before = sim.counters({ tenantId: northwind })['users.list'] ?? 0;
    const users = await client.getAll('/users', { top: 2, select: ['id', 'userPrincipalName'] });
    assert.equal(users.length, 7);
    assert.deepEqual(Object.keys(users[0]!).sort(), ['id', 'userPrincipalName']);
    assert.equal((sim.counters({ tenantId: northwind })['users.list'] ?? 0) - before, 4);
    assert.equal(graph.stats().byTenantAndKind[northwind]?.users, 4);
  });

  it('reports @removed in a delta round, and a full resync when the token expired', async () => {
    const client = graph.forTenant(FABRIKAM);
    const first = await client.usersDelta();
    assert.equal(first.fullResync, true);
    assert.equal(first.items.length, 5);
    const gone = first.items[0]!.id;
    // Through the directory's history, as delta sees it (a soft delete is `@removed: changed`).
    deleteUser(sim.store, FABRIKAM, gone, 'soft');
    updateUser(sim.store, FABRIKAM, { id: first.items[1]!.id, jobTitle: 'Promoted' });
    const second = await client.usersDelta({ deltaLink: first.deltaLink });
    assert.equal(second.fullResync, false);
    assert.deepEqual(second.removed, [{ id: gone, reason: 'changed' }]);
    assert.deepEqual(
      second.items.map((u) => u.jobTitle),
      ['Promoted'],
    );
    sim.expireDeltaTokens();
    const third = await client.usersDelta({ deltaLink: second.deltaLink });
    assert.equal(third.fullResync, true);
    assert.match(third.resyncReason ?? '', /SyncStateNotFound/);
    assert.equal(third.items.length, 4);
    assert.ok(sink.entries.some((e) => e.message.includes('full sync') && e.fields.tenantId === FABRIKAM));
  });

  it('restarts on resyncRequired too', async () => {
    const client = graph.forTenant(FABRIKAM);
    const first = await client.usersDelta();
    sim.expireDeltaTokens({ status: 400, code: 'resyncRequired' });
    const again = await client.usersDelta({ deltaLink: first.deltaLink });
    assert.equal(again.fullResync, true);
    assert.match(again.resyncReason ?? '', /resyncRequired/);
  });

  it('retries a single request answered 429 with Retry-After: 0', async () => {
    sim.faults.add({
      path: '^/domains',
      tenantId: CONTOSO,
      times: 2,
      effect: { kind: 'status', status: 429, retryAfter: 0 },
    });
    const domains = await graph.forTenant(CONTOSO).listDomains();
    assert.equal(domains.length, 2);
    const answers = sim
      .requests()
      .filter((r) => r.tenantId === CONTOSO && r.path.startsWith('/domains'))
      .map((r) => r.status);
    assert.deepEqual(answers.slice(-3), [429, 429, 200]);
  });

  it('gives up after the configured retries with a retryable throttled error', async () => {
    sim.faults.add({
      path: '^/subscribedSkus',
      tenantId: CONTOSO,
      times: 10,
      effect: { kind: 'status', status: 429, retryAfter: 0 },
    });
    await assert.rejects(graph.forTenant(CONTOSO).listSubscribedSkus(), (error: unknown) => {
      assert.ok(error instanceof GraphAccessError);
      assert.equal(error.code, 'throttled');
      assert.equal(error.retryable, true);
      return true;
    });
    sim.faults.clear();
    const attempts = sim
      .requests()
      .filter((r) => r.tenantId === CONTOSO && r.path.startsWith('/subscribedSkus') && r.status === 429);
    assert.equal(attempts.length, 4);
  });

  it('splits $batch into 20s and retries items answered 429 after the longest Retry-After', async () => {
    const client = graph.forTenant(CONTOSO);
    const users = await client.listUsers({ select: ['id'] });
    const requests = Array.from({ length: 25 }, (_, i) => ({
      id: `r${i}`,
      method: 'GET' as const,
      url: `/users/${users[i % users.length]!.id}?$select=id,displayName`,
    }));
    sleeps.length = 0;
    sim.faults.add({
      path: '^/users/',
      scope: 'batch',
      times: 2,
      effect: { kind: 'status', status: 429, retryAfter: 2 },
    });
    sim.faults.add({
      path: '^/users/',
      scope: 'batch',
      times: 1,
      effect: { kind: 'status', status: 429, retryAfter: 5 },
    });
    const batchesBefore = sim.counters({ tenantId: CONTOSO }).$batch ?? 0;
    const responses = await client.batch(requests);
    assert.equal(responses.size, 25);
    assert.ok([...responses.values()].every((r) => r.status === 200));
    assert.equal((sim.counters({ tenantId: CONTOSO }).$batch ?? 0) - batchesBefore, 3);
    assert.deepEqual(sleeps, [5000]);
  });

  it('explains a wrong secret without revealing it', async () => {
    const wrong = 'wrong-secret-value-123';
    await assert.rejects(factory(wrong).forTenant(CONTOSO).listDomains(), (error: unknown) => {
      assert.ok(error instanceof GraphAccessError);
      assert.equal(error.code, 'invalidSecret');
      assert.match(error.message, /AADSTS7000215/);
      assert.match(error.message, /Value.*not its Secret ID/);
      assert.ok(!error.message.includes(wrong));
      return true;
    });
  });

  it('explains a tenant without consent, at the token and with a token already issued', async () => {
    const fresh = factory(sim.store.app.secrets[0]!);
    await fresh.forTenant(TAILSPIN).listDomains();
    sim.revokeConsent(TAILSPIN);
    try {
      for (const client of [fresh.forTenant(TAILSPIN), factory(sim.store.app.secrets[0]!).forTenant(TAILSPIN)]) {
        await assert.rejects(client.listDomains(), (error: unknown) => {
          assert.ok(error instanceof GraphAccessError);
          assert.equal(error.code, 'consentMissing');
          assert.match(error.message, /admin consent/);
          return true;
        });
      }
    } finally {
      sim.restoreConsent(TAILSPIN);
    }
  });

  it('names the missing permission on 403', async () => {
    sim.faults.add({
      path: 'managedDevices',
      times: 1,
      effect: { kind: 'status', status: 403, code: 'Authorization_RequestDenied' },
    });
    await assert.rejects(graph.forTenant(CONTOSO).listManagedDevices(), (error: unknown) => {
      assert.ok(error instanceof GraphAccessError);
      assert.equal(error.code, 'permissionMissing');
      assert.match(error.message, /DeviceManagementManagedDevices\.Read\.All/);
      return true;
    });
  });

  it('reports an unknown mailbox as mailboxNotFound', async () => {
    await assert.rejects(graph.home().listMailFolders('nobody@bridgemsp.com'), (error: unknown) => {
      assert.ok(error instanceof GraphAccessError);
      assert.equal(error.code, 'mailboxNotFound');
      assert.match(error.message, /nobody@bridgemsp\.com/);
      return true;
    });
  });
});
