import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { generateHaloSeed, type HaloSimulator, startHaloSimulator } from '../../dev/halo-sim';
import { createHaloClient, HaloApiError, type HaloClientOptions, HaloReportError } from '../../shared/halo';
import { createLogger, memorySink } from '../../shared/runtime/logger';

function clientFor(sim: HaloSimulator, overrides: Partial<HaloClientOptions> = {}) {
  const sleeps: number[] = [];
  const sink = memorySink();
  const client = createHaloClient({
    baseUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    tenant: sim.tenant,
    rateLimit: { requests: 10_000, windowMs: 300_000 },
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 50 },
    log: createLogger({ sink, level: 'debug' }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps, sink };
}

describe('Halo client against the simulator', () => {
  let sim: HaloSimulator;
  before(async () => {
    const seed = generateHaloSeed({ clients: 1, usersPerClient: 249 });
    sim = await startHaloSimulator({ seed, rateLimit: false });
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCounters();
  });

  it('discovers the auth server, gets a token and pages 250 users in 3 requests of 100', async () => {
    const { client } = clientFor(sim);
    const users = await client.listUsers();
    assert.equal(users.length, 250);
    assert.equal(new Set(users.map((u) => u.id)).size, 250);
    const counters = sim.counters();
    assert.equal(counters.byEndpoint['GET /api/users'], 3);
    assert.equal(counters.byEndpoint['GET /api/authinfo'], 1);
    assert.equal(counters.tokensIssued, 1);
    const pages = sim.requests().filter((r) => r.path === '/api/Users');
    assert.deepEqual(
      pages.map((r) => r.query.page_no),
      ['1', '2', '3'],
    );
    assert.ok(pages.every((r) => r.query.page_size === '100' && r.query.pageinate === 'true'));
    assert.ok(sim.requests().every((r) => r.userAgent.startsWith('halo-bridge/')));
    assert.equal(client.stats().byPath['GET /Users'], 3);
  });

  it('filters General Users out and finds a user by azureoid', async () => {
    const { client } = clientFor(sim);
    assert.equal((await client.listUsers({ excludeGeneralUser: true })).length, 249);
    const [first] = await client.listUsers({ search: 'User 1-7' });
    assert.ok(first);
    await client.updateUsers([{ id: first.id, azureoid: 'aaaaaaaa-0000-4000-8000-000000000007' }]);
    const found = await client.listUsers({ azureoid: 'aaaaaaaa-0000-4000-8000-000000000007' });
    assert.deepEqual(
      found.map((u) => u.id),
      [first.id],
    );
  });

  it('retries a 429 without Retry-After with backoff, then succeeds', async () => {
    sim.faults.add({ path: '/api/Status', times: 2, effect: { kind: 'status', status: 429 } });
    const { client, sleeps } = clientFor(sim);
    const statuses = await client.listStatuses();
    assert.ok(statuses.length > 0);
    assert.equal(sim.counters().rateLimited, 2);
    assert.equal(client.stats().retries, 2);
    assert.equal(client.stats().rateLimited, 2);
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps[0]! <= 10 && sleeps[1]! <= 20);
  });

  it('honours Retry-After on a 429', async () => {
    sim.faults.add({ path: '/api/Outcome', times: 1, effect: { kind: 'status', status: 429, retryAfter: 0.04 } });
    const { client, sleeps } = clientFor(sim);
    await client.listOutcomes();
    assert.deepEqual(sleeps, [40]);
  });

  it('retries 5xx and dropped connections, and gives up with a typed error after maxRetries', async () => {
    sim.faults.add({ path: '/api/TicketType', times: 1, effect: { kind: 'status', status: 503 } });
    sim.faults.add({ path: '/api/TicketType', times: 1, effect: { kind: 'drop' } });
    const { client } = clientFor(sim);
    assert.ok((await client.listTicketTypes()).length > 0);
    assert.equal(client.stats().retries, 2);

    sim.faults.add({ path: '/api/TicketType', times: 10, effect: { kind: 'status', status: 500 } });
    const error = await client.listTicketTypes().catch((e: unknown) => e);
    assert.ok(error instanceof HaloApiError);
    assert.equal(error.status, 500);
    assert.equal(error.attempts, 4);
    assert.equal(error.haloMessage, 'Simulated fault');
    assert.equal(error.method, 'GET');
    assert.ok(!error.message.includes(sim.clientSecret));
  });

  it('does not retry other 4xx and reports Halo message', async () => {
    const { client } = clientFor(sim);
    const error = await client.addActions([{ ticket_id: 999_999, note: 'x' }]).catch((e: unknown) => e);
    assert.ok(error instanceof HaloApiError);
    assert.equal(error.status, 404);
    assert.equal(error.attempts, 1);
    assert.equal(client.stats().retries, 0);
  });

  it('refreshes an expired token once on 401 and retries the call', async () => {
    const { client } = clientFor(sim);
    await client.listStatuses();
    sim.expireTokens();
    await client.listStatuses();
    assert.equal(sim.counters().tokensIssued, 2);
    assert.equal(client.stats().tokenRequests, 2);
    assert.equal(sim.requests().filter((r) => r.status === 401).length, 1);
  });

  it('refreshes before expiry by its own clock, with one token request for concurrent callers', async () => {
    let now = 1_000_000;
    const { client } = clientFor(sim, { now: () => now });
    await Promise.all([client.listStatuses(), client.listOutcomes(), client.listTicketTypes()]);
    assert.equal(sim.counters().tokensIssued, 1);
    now += 3_600_000;
    await Promise.all([client.listStatuses(), client.listOutcomes()]);
    assert.equal(sim.counters().tokensIssued, 2);
    assert.equal(sim.requests().filter((r) => r.status === 401).length, 0);
  });

  it('reports wrong credentials as a 401 invalid_client without the secret', async () => {
    const { client } = clientFor(sim, { clientSecret: 'wrong-secret-value' });
    const error = await client.listStatuses().catch((e: unknown) => e);
    assert.ok(error instanceof HaloApiError);
    assert.equal(error.status, 401);
    assert.equal(error.haloMessage, 'invalid_client');
    assert.ok(!error.message.includes('wrong-secret-value'));
  });

  it('writes in arrays of 100 and returns the created records with ids', async () => {
    const { client } = clientFor(sim);
    const drafts = Array.from({ length: 150 }, (_, i) => ({ name: `New ${i}`, site_id: 2001 }));
    const created = await client.createUsers(drafts);
    assert.equal(created.length, 150);
    assert.ok(created.every((u) => u.id > 0 && u.client_id === 1001));
    assert.equal(sim.counters().byEndpoint['POST /api/users'], 2);
    const bodies = sim
      .requests()
      .filter((r) => r.path === '/api/Users' && r.method === 'POST')
      .map((r) => (r.body as unknown[]).length);
    assert.deepEqual(bodies, [100, 50]);
  });

  it('reads endpoints without paging in one GET, and stops a paged loop that Halo answers with everything', async () => {
    for (let i = 0; i < 150; i++) sim.store.tables.agents.set(500 + i, { id: 500 + i, name: `Agent ${i}` });
    const { client, sink } = clientFor(sim);
    const agents = await client.listAgents();
    // Halo leaves its Unassigned pseudo-agent out unless asked (`includeunassigned`).
    const listed = [...sim.store.tables.agents.values()].filter((a) => a.isunassigned !== true && !a.isdisabled);
    assert.equal(agents.length, listed.length);
    assert.equal(sim.counters().byEndpoint['GET /api/agent'], 1);
    // The generic pager on the same endpoint: page 1 is already everything, so it stops instead of looping.
    const paged = await client.list('/Agent');
    assert.equal(paged.length, agents.length);
    assert.equal(sim.counters().byEndpoint['GET /api/agent'], 2);
    for (let i = 0; i < 100; i++) sim.store.tables.teams.set(700 + i, { id: 700 + i, name: `Team ${i}` });
    const teamsBefore = sim.store.tables.teams.size;
    // Exactly 100 rows: page 2 repeats page 1, which the guard notices.
    for (const id of [...sim.store.tables.teams.keys()].slice(0, teamsBefore - 100)) sim.store.tables.teams.delete(id);
    assert.equal((await client.list('/Team')).length, 100);
    assert.ok(sink.entries.some((e) => e.message.includes('ignored paging')));
    for (let i = 0; i < 150; i++) sim.store.tables.agents.delete(500 + i);
  });

  it('runs ad-hoc report SQL and surfaces load_error as HaloReportError', async () => {
    const { client } = clientFor(sim);
    const rows = await client.runReport('SELECT uid, uemail AS email FROM USERS WHERE usite = 2001');
    assert.equal(rows.length, sim.store.tables.users.size);
    assert.ok(rows.every((r) => 'uid' in r && 'email' in r));
    await assert.rejects(client.runReport('SELECT nope FROM FAULTS'), HaloReportError);
  });
});

describe('Halo client against the demo simulator', () => {
  let sim: HaloSimulator;
  before(async () => {
    sim = await startHaloSimulator({
      hosted: { tenant: 'bridgemsp' },
      rateLimit: { requests: 300, windowMs: 300_000 },
    });
  });
  after(async () => {
    await sim.stop();
  });

  it('sends ?tenant= to the hosted token endpoint (discovered and configured)', async () => {
    const { client } = clientFor(sim);
    await client.listStatuses();
    const tokenRequest = sim.requests().find((r) => r.path === '/auth/token');
    assert.equal(tokenRequest?.query.tenant, 'bridgemsp');
    const explicit = clientFor(sim, { authUrl: sim.authUrl, tenant: 'bridgemsp' }).client;
    await explicit.listStatuses();
    const noTenant = clientFor(sim, { authUrl: sim.authUrl, tenant: undefined }).client;
    await assert.rejects(noTenant.listStatuses(), (e: unknown) => e instanceof HaloApiError && e.status === 400);
  });

  it('round-trips PowerShellScriptProcessing: agent action queues a run, we read and mark it', async () => {
    const { client } = clientFor(sim);
    const result = await sim.agentAddsAction({ ticket_id: 1001, outcome_id: 30, note: 'quota please' });
    assert.ok(result.scriptRun);
    const runs = await client.getOutstandingScriptRuns();
    const run = runs.find((r) => r.id === result.scriptRun!.id);
    assert.deepEqual(run?.execution_parameters, { TicketId: 1001, Mailbox: 'megan.bowen@contoso.com', QuotaGB: 100 });
    const marked = await client.markScriptRunsProcessed([
      { id: run!.id, success: true, result_message: 'Quota updated' },
    ]);
    assert.equal(marked[0]?.processed, true);
    assert.equal((await client.getOutstandingScriptRuns()).length, runs.length - 1);
  });

  it('creates a ticket, adds actions (status change, outcome required) and attaches a file', async () => {
    const { client } = clientFor(sim);
    const [ticket] = await client.createTickets([
      { summary: 'From mail', details: 'body', tickettype_id: 1, client_id: 10, site_id: 10, user_id: 201 },
    ]);
    assert.ok(ticket && ticket.id > 1004);
    assert.equal(ticket.user_name, 'Megan Bowen');
    const [action] = await client.addActions([{ ticket_id: ticket.id, outcome_id: 7, note: 'done', new_status: 18 }]);
    assert.equal(action?.id, 2);
    assert.equal((await client.getTicket(ticket.id)).status_id, 18);
    const error = await client.addActions([{ ticket_id: ticket.id, note: 'no outcome' }]).catch((e: unknown) => e);
    assert.ok(error instanceof HaloApiError);
    assert.equal(error.haloMessage, 'An Outcome must be entered for this Action');
    const [attachment] = await client.addAttachments([{ ticket_id: ticket.id, filename: 'log.txt', content: 'hello' }]);
    assert.equal(attachment?.filesize, 5);
    const clients = await client.listClients({ includeAzureTenants: true });
    assert.equal(clients.find((c) => c.id === 10)?.azure_tenants?.length, 1);
    const [updated] = await client.updateClients([
      { id: 12, azure_tenants: [{ azure_tenant_id: '33333333-3333-4333-8333-333333333333', details_name: 'Default' }] },
    ]);
    assert.equal(updated?.azure_tenants?.[0]?.client_id, 12);
  });
});
