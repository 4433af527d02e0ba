import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type HaloSimulator, SIM_EVENTS, startHaloSimulator } from '../../dev/halo-sim';
import { webhookDeliverySchema } from '../../shared/halo';
import { haloSimulatorToken } from '../support/haloSim';

interface Received {
  authorization: string | undefined;
  body: unknown;
}

describe('Halo simulator', () => {
  let sim: HaloSimulator;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let bearer: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    });

  before(async () => {
    sim = await startHaloSimulator({ rateLimit: { requests: 5, windowMs: 60_000 } });
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        received.push({ authorization: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(202).end('queued');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/halo/webhook`;
    bearer = await haloSimulatorToken(sim);
  });
  after(async () => {
    await sim.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('requires a bearer, then enforces the rolling window with Halo message and no Retry-After', async () => {
    sim.resetCounters();
    const anonymous = await fetch(`${sim.url}/api/Status`);
    assert.equal(anonymous.status, 401);
    for (let i = 0; i < 4; i++) assert.equal((await api('/Status')).status, 200);
    const limited = await api('/Status');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.equal(await limited.json(), 'Rate Limit Reached - 5 Requests per rolling 1 minute window');
    const counters = (await (await fetch(`${sim.url}/_sim/counters`)).json()) as { rateLimited: number };
    assert.equal(counters.rateLimited, 1);
    sim.resetCounters();
  });

  it('caps pages at 100 with a truthful record_count and serves bare lookups', async () => {
    sim.resetCounters();
    for (let i = 0; i < 120; i++) sim.store.tables.assets.set(1000 + i, { id: 1000 + i, client_id: 10 });
    const page = (await (await api('/Asset?pageinate=true&page_size=1000&page_no=1')).json()) as {
      record_count: number;
      assets: unknown[];
    };
    assert.equal(page.record_count, sim.store.tables.assets.size, 'every asset, not the page');
    assert.ok(page.record_count > 120);
    assert.equal(page.assets.length, 100);
    const statuses = await (await api('/Status')).json();
    assert.ok(Array.isArray(statuses));
    sim.resetCounters();
  });

  it('answers bad SQL with load_error and Halo writes with only the fields sent', async () => {
    sim.resetCounters();
    const report = (await (
      await api('/Report', {
        method: 'POST',
        body: JSON.stringify([{ id: 0, sql: 'DROP TABLE x', _loadreportonly: true }]),
      })
    ).json()) as { report: { load_error: string } };
    assert.match(report.report.load_error, /Incorrect syntax/);
    await api('/Users', {
      method: 'POST',
      body: JSON.stringify([{ id: 204, customfields: [{ id: 101, value: 'N' }] }]),
    });
    const user = sim.store.tables.users.get(204)!;
    assert.equal(user.name, 'Casey Accountant');
    assert.deepEqual(user.customfields, [{ id: 101, name: 'M365SyncKeepActive', value: 'N' }]);
    const rows = (await (
      await api('/Report', {
        method: 'POST',
        body: JSON.stringify([
          { id: 0, sql: 'SELECT uid, CFM365SyncKeepActive FROM USERS WHERE uid = 204', _loadreportonly: true },
        ]),
      })
    ).json()) as { report: { rows: unknown[] } };
    assert.deepEqual(rows.report.rows, [{ uid: 204, CFM365SyncKeepActive: 'N' }]);
    sim.resetCounters();
  });

  it('injects faults over HTTP: 503 for N requests on a path, then normal service', async () => {
    sim.resetCounters();
    const set = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/outcome', times: 2, effect: { kind: 'status', status: 503 } }),
    });
    assert.equal(set.status, 200);
    assert.equal((await api('/Outcome')).status, 503);
    assert.equal((await api('/Outcome')).status, 503);
    assert.equal((await api('/Outcome')).status, 200);
    const log = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { status: number }[];
    assert.deepEqual(
      log.map((r) => r.status),
      [503, 503, 200],
    );
    sim.resetCounters();
  });

  it('runs Halo automation: agent action → status change, queued script run, webhooks with Basic auth', async () => {
    received.length = 0;
    sim.configureWebhook({
      url: receiverUrl,
      username: 'halo',
      password: 'webhook-password-123',
      payloadType: 'full',
      events: [SIM_EVENTS.actionAdded, SIM_EVENTS.statusChanged],
    });
    const response = await fetch(`${sim.url}/_sim/agent/actions`, {
      method: 'POST',
      body: JSON.stringify({ ticket_id: 1002, outcome_id: 31, note: 'go' }),
    });
    const result = (await response.json()) as {
      scriptRun: { execution_parameters: Record<string, unknown> };
      deliveries: { status: string; responsestatus: number }[];
    };
    assert.deepEqual(result.scriptRun.execution_parameters, {
      TicketId: 1002,
      FirstName: 'Jane',
      LastName: 'Doe',
      UserPrincipalName: 'jane.doe@fabrikam.com',
      OrganizationalUnit: 'OU=Staff,DC=fabrikam,DC=com',
    });
    assert.deepEqual(
      result.deliveries.map((d) => [d.status, d.responsestatus]),
      [
        ['success', 202],
        ['success', 202],
      ],
    );
    assert.equal(received.length, 2);
    const expected = `Basic ${Buffer.from('halo:webhook-password-123').toString('base64')}`;
    assert.ok(received.every((r) => r.authorization === expected));
    const events = received.flatMap((r) => webhookDeliverySchema.parse(r.body));
    assert.deepEqual(
      events.map((e) => e.event),
      ['action added', 'ticket status changed'],
    );
    const first = events[0]!;
    assert.match(first.id, /^[0-9a-f-]{36}$/);
    assert.match(first.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    assert.equal(first.ticket?.id, 1002);
    assert.equal(first.ticket?.status_id, 2);
    assert.equal(first.action?.outcome_id, 31);
    assert.equal(sim.store.deliveries.length, 2);
  });

  it('delivers event-only and batched payloads', async () => {
    received.length = 0;
    for (const hook of sim.store.webhooks.values()) hook.active = false;
    sim.configureWebhook({ url: receiverUrl, payloadType: 'event', events: ['*'] });
    sim.configureWebhook({ url: receiverUrl, payloadType: 'small', events: ['*'], batch: true });
    await sim.deliverWebhook('ticket status changed', { ticketId: 1004 });
    await sim.deliverWebhook('ticket status changed', { ticketId: 1001 });
    assert.equal(received.length, 2);
    assert.deepEqual(Object.keys(received[0]!.body as object).sort(), ['event', 'id', 'object_id', 'webhook_id']);
    await sim.flushWebhookBatches();
    assert.equal(received.length, 3);
    const batch = webhookDeliverySchema.parse(received[2]!.body);
    assert.deepEqual(
      batch.map((e) => e.ticket?.id),
      [1004, 1001],
    );
  });

  it('approves an approval step, queueing its script and firing the approval event', async () => {
    received.length = 0;
    for (const hook of sim.store.webhooks.values()) hook.active = false;
    sim.configureWebhook({ url: receiverUrl, payloadType: 'full', events: [SIM_EVENTS.approvalApproved] });
    const result = await sim.approveStep({ ticket_id: 1003 });
    assert.equal(result.scriptRun?.pssid, 3);
    assert.deepEqual(result.scriptRun?.execution_parameters, {
      TicketId: 1003,
      UserPrincipalName: 'olive.timer@nwtraders.net',
    });
    const approvalEvents = received
      .flatMap((r) => webhookDeliverySchema.parse(r.body))
      .filter((e) => e.event === 'approval step approved');
    assert.equal(approvalEvents.length, 1);
    assert.equal((approvalEvents[0] as Record<string, unknown>).approval !== undefined, true);
  });
});
