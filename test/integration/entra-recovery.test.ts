import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadDemoGraphSeed } from '../../dev/graph-sim';
import { type Stack, startStack } from '../../dev/stack';
import type { WriteBatch } from '../../shared/sync';
import type { EntraPlan } from '../../shared/sync/entra';
import { readAgentLinks } from '../../shared/sync/entra/agentLinks';
import { beforeSendEntraWrites } from '../../shared/sync/entra/haloWrites';
import { PARTNER, reportOf, runEntra, STAFF } from './entra-helpers';

const OWN_APP = { clientId: 'b1d9e0a7-5a1e-4c0d-9e3b-0000000000e1', secret: 'entra-connection-own-secret-value' };

describe('Entra ID sync: look before a retry, and a connection with its own app registration', () => {
  let stack: Stack;
  let plan: EntraPlan;
  before(async () => {
    const seed = loadDemoGraphSeed();
    const partner = seed.tenants.find((t) => t.id === PARTNER)!;
    partner.apps = [{ clientId: OWN_APP.clientId, secrets: [OWN_APP.secret], certificates: [] }];
    stack = await startStack({
      graphSeed: seed,
      config: (demo) => {
        const entra = demo.entraSync as { connections: Record<string, unknown>[] };
        entra.connections[0]!.app = { kind: 'clientSecret', clientId: OWN_APP.clientId, secretName: 'entra-staff-app' };
        return demo;
      },
    });
    await stack.container.secrets.set!('entra-staff-app', OWN_APP.secret);
    // The shared multitenant app is not consented here: only the connection's own app can read the directory.
    stack.graph.revokeConsent(PARTNER);
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    plan = (await reportOf(stack, status.run.runId)).connections[0]! as EntraPlan;
  });
  after(async () => {
    await stack.stop();
  });

  it("reads the directory with the connection's own app (its secret from Key Vault), never the shared app", () => {
    assert.equal(plan.read.users, 'full');
    assert.ok(plan.changes.some((c) => c.kind === 'createAgent'));
    const refused = stack.graph.requests().filter((r) => r.route === 'token' && r.status !== 200);
    assert.deepEqual(refused, [], 'no token was asked for the shared app, which this tenant refuses');
  });

  it('a create batch an interrupted delivery may have sent: agents found by email are left out and linked', async () => {
    const creates = plan.changes.filter((c) => c.kind === 'createAgent').map((c) => c.body as Record<string, unknown>);
    assert.ok(creates.length > 0);
    const batch: WriteBatch = { resource: '/Agent', bodies: creates, changeCount: creates.length };
    const links = await readAgentLinks(stack.container, PARTNER);
    for (const body of creates)
      await stack.container.stores.checkpoints.delete(`entra-agents:${PARTNER}`, String(body._oid));
    stack.halo.resetCounters();
    const bodies = await beforeSendEntraWrites(stack.container, batch, { plan, recovering: true });
    assert.deepEqual(bodies, [], 'every agent exists: nothing is sent again');
    assert.deepEqual(await readAgentLinks(stack.container, PARTNER), links, 'and the links are back');
    assert.equal(stack.halo.counters().byEndpoint['GET /api/agent'], 1, 'one bulk read for the whole batch');
  });

  it('users are found by their Entra object id; a body not created yet is kept', async () => {
    const creates = plan.changes.filter((c) => c.kind === 'createUser').map((c) => c.body as Record<string, unknown>);
    const missing = { name: 'Not Yet', site_id: 1, azureoid: STAFF(99), _oid: STAFF(99) };
    const batch: WriteBatch = { resource: '/Users', bodies: [...creates, missing], changeCount: creates.length + 1 };
    const bodies = await beforeSendEntraWrites(stack.container, batch, { plan, recovering: true });
    assert.deepEqual(bodies, [missing]);
  });

  it('references to records created earlier are resolved; without the link map, by email; a missing one fails loudly', async () => {
    const morgan = [...stack.halo.store.tables.agents.values()].find((a) => a.email === 'morgan.lead@bridgemsp.com')!;
    await stack.container.stores.checkpoints.delete(`entra-agents:${PARTNER}`, STAFF(5));
    const ref = { $ref: 'agent', oid: STAFF(5), email: 'morgan.lead@bridgemsp.com' };
    const batch: WriteBatch = { resource: '/Agent', bodies: [{ id: 2, linemanager: ref }], changeCount: 1 };
    const [body] = (await beforeSendEntraWrites(stack.container, batch, { plan, recovering: false })) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(body, { id: 2, linemanager: morgan.id });
    assert.equal((await readAgentLinks(stack.container, PARTNER))[STAFF(5)], morgan.id, 'relinked');
    const ghost = { id: 2, linemanager: { $ref: 'agent', oid: STAFF(98), email: 'ghost@bridgemsp.com' } };
    await assert.rejects(
      beforeSendEntraWrites(
        stack.container,
        { resource: '/Agent', bodies: [ghost], changeCount: 1 },
        { plan, recovering: false },
      ),
      /ghost@bridgemsp.com\) does not exist in Halo: its create did not happen/,
    );
  });

  it("CAB members are added to the CAB's live members, never replacing someone added in Halo meanwhile", async () => {
    stack.halo.store.tables.cabs.get(1)!.members = [{ agent_id: 1, cab_id: 1 }];
    const batch: WriteBatch = { resource: '/CAB', bodies: [{ id: 1, members: [{ agent_id: 2 }] }], changeCount: 1 };
    const [body] = (await beforeSendEntraWrites(stack.container, batch, { plan, recovering: false })) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(body, { id: 1, members: [{ agent_id: 1 }, { agent_id: 2 }] });
  });
});
