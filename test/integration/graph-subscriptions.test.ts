import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import { GraphAccessError, type TenantGraphClient } from '../../shared/graph';
import { PARTNER, simulatorGraph } from '../support/graph';

const SUPPORT = 'support@bridgemsp.com';

/** A tiny notification endpoint: echoes validation tokens (or a wrong one) and records notifications. */
async function startReceiver(echo: 'right' | 'wrong') {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (token !== null) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(echo === 'right' ? token : 'not-the-token');
        return;
      }
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/graph/notifications`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('graph subscriptions against the simulator', () => {
  let sim: GraphSimulator;
  let graph: TenantGraphClient;
  let clock = Date.now();
  let good: Awaited<ReturnType<typeof startReceiver>>;
  let bad: Awaited<ReturnType<typeof startReceiver>>;
  const inMinutes = (m: number) => new Date(clock + m * 60_000).toISOString();

  before(async () => {
    sim = await startGraphSimulator({ now: () => clock });
    good = await startReceiver('right');
    bad = await startReceiver('wrong');
    graph = simulatorGraph(sim).home();
  });
  after(async () => {
    await sim.stop();
    await good.close();
    await bad.close();
  });

  it('creates a subscription after a real validation handshake and delivers notifications with clientState', async () => {
    const sub = await graph.createSubscription({
      resource: `users/${SUPPORT}/mailFolders('inbox')/messages`,
      changeType: 'created',
      notificationUrl: good.url,
      lifecycleNotificationUrl: good.url,
      expirationDateTime: inMinutes(10),
      clientState: 'state-123',
    });
    // Less than 45 minutes is bumped to 45.
    assert.equal(Date.parse(sub.expirationDateTime), clock + 45 * 60_000);
    const validations = sim.deliveries().filter((d) => d.kind === 'validation');
    assert.equal(validations.length, 2);
    const id = sim.deliverMail(SUPPORT, { from: 'adele.vance@contoso.com', subject: 'Help' });
    await sim.settled();
    assert.equal(good.received.length, 1);
    const note = (good.received[0] as { value: Record<string, unknown>[] }).value[0]!;
    assert.equal(note.clientState, 'state-123');
    assert.equal(note.changeType, 'created');
    assert.equal(note.tenantId, PARTNER);
    assert.equal((note.resourceData as { id: string }).id, id);
  });

  it('renews within the limit, refuses beyond 4,230 minutes, lists and deletes', async () => {
    const [sub] = await graph.listSubscriptions();
    assert.ok(sub);
    const renewed = await graph.renewSubscription(sub.id, inMinutes(4000));
    assert.equal(Date.parse(renewed.expirationDateTime), clock + 4000 * 60_000);
    await assert.rejects(graph.renewSubscription(sub.id, inMinutes(4300)), (error: unknown) => {
      assert.ok(error instanceof GraphAccessError);
      assert.equal(error.code, 'badRequest');
      assert.match(error.message, /4230 minutes/);
      return true;
    });
    await graph.reauthorizeSubscription(sub.id);
    assert.equal(await graph.deleteSubscription(sub.id), true);
    assert.equal(await graph.deleteSubscription(sub.id), false);
    assert.deepEqual(await graph.listSubscriptions(), []);
  });

  it('fails creation when the endpoint echoes the wrong token', async () => {
    await assert.rejects(
      graph.createSubscription({
        resource: 'users',
        changeType: 'updated,deleted',
        notificationUrl: bad.url,
        expirationDateTime: inMinutes(60),
        clientState: 'x',
      }),
      (error: unknown) => {
        assert.ok(error instanceof GraphAccessError);
        assert.equal(error.code, 'subscriptionValidationFailed');
        return true;
      },
    );
    assert.equal(sim.subscriptions().length, 0);
  });

  it('sends lifecycle events, and an expired subscription stops delivering', async () => {
    const sub = await graph.createSubscription({
      resource: 'users',
      changeType: 'updated,deleted',
      notificationUrl: good.url,
      lifecycleNotificationUrl: good.url,
      expirationDateTime: inMinutes(60),
      clientState: 'users-state',
    });
    good.received.length = 0;
    assert.equal(sim.triggerLifecycle(sub.id, 'reauthorizationRequired'), true);
    await sim.settled();
    const event = (good.received[0] as { value: Record<string, unknown>[] }).value[0]!;
    assert.equal(event.lifecycleEvent, 'reauthorizationRequired');
    assert.equal(event.clientState, 'users-state');
    await graph.reauthorizeSubscription(sub.id);
    sim.store.upsertUser(PARTNER, {
      id: sim.store.findUser(sim.store.tenant(PARTNER)!, 'admin@bridgemsp.com')!.id,
      jobTitle: 'x',
    });
    await sim.settled();
    assert.equal(good.received.length, 2);
    clock += 61 * 60_000;
    sim.store.upsertUser(PARTNER, {
      id: sim.store.findUser(sim.store.tenant(PARTNER)!, 'admin@bridgemsp.com')!.id,
      jobTitle: 'y',
    });
    await sim.settled();
    assert.equal(good.received.length, 2);
  });
});
