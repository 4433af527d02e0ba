import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { type GraphSimulator, generateGraphSeed, loadDemoGraphSeed, startGraphSimulator } from '../../dev/graph-sim';
import { GraphAccessError } from '../../shared/graph';
import { PARTNER, simulatorGraph, simulatorToken } from '../support/graph';

const CONTOSO = '11111111-1111-4111-8111-111111111111';
const FABRIKAM = '22222222-2222-4222-8222-222222222222';

describe('graph simulator', () => {
  let sim: GraphSimulator;
  let certificatePem: string;
  let token: string;

  before(async () => {
    const pems = await generate([{ name: 'commonName', value: 'halo-bridge test app' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    certificatePem = `${pems.private}\n${pems.cert}`;
    const seed = loadDemoGraphSeed();
    sim = await startGraphSimulator({ seed: { ...seed, app: { ...seed.app, certificates: [pems.cert] } } });
    token = await simulatorToken(sim, CONTOSO);
  });
  after(async () => {
    await sim.stop();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}/v1.0${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });

  it('gets a token with a certificate (client assertion) through @azure/identity', async () => {
    const graph = simulatorGraph(sim, { credential: { kind: 'certificate', pem: certificatePem } });
    const org = await graph.forTenant(FABRIKAM).getOrganization();
    assert.equal(org.displayName, 'Fabrikam Inc');
  });

  it('refuses requests without a valid bearer token', async () => {
    const anonymous = await fetch(`${sim.url}/v1.0/users`);
    assert.equal(anonymous.status, 401);
    const forged = await fetch(`${sim.url}/v1.0/users`, { headers: { Authorization: 'Bearer a.b.c' } });
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
  });

  it('answers $batch items one by one and refuses more than 20 or duplicate ids', async () => {
    const ok = await call('/$batch', {
      method: 'POST',
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: '/domains' },
          { id: '2', method: 'GET', url: '/users/nobody' },
        ],
      }),
    });
    const body = (await ok.json()) as { responses: { id: string; status: number }[] };
    assert.deepEqual(body.responses.map((r) => [r.id, r.status]).sort(), [
      ['1', 200],
      ['2', 404],
    ]);
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/domains' }));
    assert.equal((await call('/$batch', { method: 'POST', body: JSON.stringify({ requests: tooMany }) })).status, 400);
    const duplicate = [
      { id: 'a', method: 'GET', url: '/domains' },
      { id: 'a', method: 'GET', url: '/users' },
    ];
    assert.equal(
      (await call('/$batch', { method: 'POST', body: JSON.stringify({ requests: duplicate }) })).status,
      400,
    );
  });

  it('takes faults over HTTP: a GET whose connection drops is sent once more; dropped again, it is a retryable outage', async () => {
    const added = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ path: '^/organization', times: 2, effect: { kind: 'drop' } }] }),
    });
    assert.equal(added.status, 200);
    const graph = simulatorGraph(sim);
    await assert.rejects(graph.forTenant(CONTOSO).getOrganization(), (error: unknown) => {
      assert.ok(error instanceof GraphAccessError);
      assert.equal(error.code, 'unavailable');
      assert.equal(error.retryable, true);
      return true;
    });
    assert.equal((await graph.forTenant(CONTOSO).getOrganization()).id, CONTOSO);
    sim.faults.add({ path: '^/organization', times: 1, effect: { kind: 'drop' } });
    assert.equal((await graph.forTenant(CONTOSO).getOrganization()).id, CONTOSO, 'one drop: the resend answers');
    const counters = (await (await fetch(`${sim.url}/_sim/counters?tenantId=${CONTOSO}`)).json()) as Record<
      string,
      number
    >;
    assert.equal(counters['organization.list'], 2);
    assert.equal(counters.fault, 3);
  });

  it('delivers mail over HTTP into the Inbox', async () => {
    const response = await fetch(`${sim.url}/_sim/mail`, {
      method: 'POST',
      body: JSON.stringify({
        mailbox: 'support@bridgemsp.com',
        message: { from: 'a@contoso.com', subject: 'Over HTTP' },
      }),
    });
    assert.equal(response.status, 201);
    const partner = sim.store.tenant(PARTNER)!;
    const mailbox = sim.store.mailboxOf(partner, 'support@bridgemsp.com')!;
    assert.ok([...mailbox.messages.values()].some((m) => m.subject === 'Over HTTP'));
  });

  it('generates N tenants x M users for benchmarks', () => {
    const seed = generateGraphSeed({ tenants: 3, usersPerTenant: 50, devicesPerTenant: 2 });
    assert.equal(seed.tenants.length, 4);
    assert.equal(seed.tenants[0]!.customers.length, 3);
    assert.equal(seed.tenants[1]!.users.length, 50);
    assert.equal(new Set(seed.tenants.flatMap((t) => t.users.map((u) => u.id))).size, 150);
  });
});
