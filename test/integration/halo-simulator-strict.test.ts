import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type HaloSimulator, startHaloSimulator } from '../../dev/halo-sim';
import { haloOpenApiSubset } from '../support/haloOpenApi';

// Each test here failed against the simulator before it was made as strict as Halo (halo-api.md §9).

async function tokenFor(sim: HaloSimulator): Promise<string> {
  const info = (await (await fetch(`${sim.url}/api/authinfo`)).json()) as { auth_url: string; tenant_id?: string };
  const url = new URL(`${info.auth_url}/token`);
  if (info.tenant_id) url.searchParams.set('tenant', info.tenant_id);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: 'all',
  });
  const response = await fetch(url, { method: 'POST', body: form });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { access_token: string }).access_token;
}

function listFields(schema: string): string[] {
  const found = haloOpenApiSubset.components.schemas[schema] as { properties?: Record<string, unknown> } | undefined;
  assert.ok(found?.properties, `${schema} is in the OpenAPI subset`);
  return Object.keys(found.properties);
}

describe('Halo simulator: as strict as Halo', () => {
  let sim: HaloSimulator;
  let bearer: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    });
  const json = async <T = Record<string, unknown>>(path: string): Promise<T> => {
    const response = await api(path);
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };

  before(async () => {
    sim = await startHaloSimulator({ rateLimit: false, hosted: { tenant: 'bridgemsp' } });
    bearer = await tokenFor(sim);
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.faults.clear();
  });

  it('serves the token on a separate auth host named by /api/authinfo, not under the instance', async () => {
    const info = (await (await fetch(`${sim.url}/api/authinfo`)).json()) as { auth_url: string; tenant_id: string };
    assert.notEqual(new URL(info.auth_url).origin, new URL(sim.url).origin);
    assert.equal(info.tenant_id, 'bridgemsp');
    assert.equal(sim.authUrl, info.auth_url);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    const onInstance = await fetch(`${sim.url}/auth/token?tenant=bridgemsp`, { method: 'POST', body: form });
    assert.equal(onInstance.status, 404);
  });

  it('cuts ticket list rows down to Faults_List; the single GET has the whole ticket', async () => {
    const allowed = new Set(listFields('Faults_List'));
    sim.store.tables.tickets.get(1001)!.details_html = '<p>full</p>';
    const list = await json<{ tickets: object[] }>('/Tickets?pageinate=true&page_size=100&page_no=1');
    for (const row of list.tickets) {
      const extra = Object.keys(row).filter((k) => !allowed.has(k));
      assert.deepEqual(extra, [], 'every list field is a Faults_List field');
    }
    const one = await json('/Tickets/1001?includedetails=true');
    assert.equal(one.details_html, '<p>full</p>');
  });

  it('cuts user list rows down to Users_List (no azureoid); the single GET has it', async () => {
    const allowed = new Set(listFields('Users_List'));
    sim.store.tables.users.get(201)!.azureoid = 'aaaaaaaa-0000-4000-8000-000000000201';
    const list = await json<{ users: object[] }>('/Users?pageinate=true&page_size=100&page_no=1');
    assert.ok(list.users.length > 0);
    for (const row of list.users)
      assert.deepEqual(
        Object.keys(row).filter((k) => !allowed.has(k)),
        [],
      );
    assert.equal((await json('/Users/201')).azureoid, 'aaaaaaaa-0000-4000-8000-000000000201');
  });

  it('cuts agent and site list rows down to Uname_List and Site_List', async () => {
    const agents = new Set(listFields('Uname_List'));
    for (const row of await json<object[]>('/Agent')) {
      assert.deepEqual(
        Object.keys(row).filter((k) => !agents.has(k)),
        [],
      );
    }
    const sites = new Set(listFields('Site_List'));
    const list = await json<{ sites: object[] }>('/Site');
    for (const row of list.sites)
      assert.deepEqual(
        Object.keys(row).filter((k) => !sites.has(k)),
        [],
      );
  });

  it('lists actions without the HTML note or email fields unless asked; the single GET has them', async () => {
    const created = (await (
      await api('/Actions', {
        method: 'POST',
        body: JSON.stringify([
          {
            ticket_id: 1001,
            outcome_id: 7,
            note_html: '<p>Hello <b>Megan</b></p>',
            emailto: 'megan.bowen@contoso.com',
            emailsubject: 'Your mailbox',
          },
        ]),
      })
    ).json()) as { id: number };
    const list = await json<{ actions: Record<string, unknown>[] }>('/Actions?ticket_id=1001');
    const row = list.actions.find((a) => a.id === created.id)!;
    assert.equal(row.note, 'Hello Megan');
    for (const field of ['note_html', 'emailto', 'emailcc', 'emailsubject', 'emailfrom']) {
      assert.equal(field in row, false, `${field} is not on a list row`);
    }
    const withHtml = (await json('/Actions?ticket_id=1001&includehtmlnote=true')) as {
      actions: Record<string, unknown>[];
    };
    assert.equal(withHtml.actions.find((a) => a.id === created.id)!.note_html, '<p>Hello <b>Megan</b></p>');
    const single = await json(`/Actions/${created.id}?ticket_id=1001&includeemail=true`);
    assert.equal(single.note_html, '<p>Hello <b>Megan</b></p>');
    assert.equal(single.emailto, 'megan.bowen@contoso.com');
    assert.equal(single.emailsubject, 'Your mailbox');
  });

  it('returns no actions without a ticket (Halo needs ticket_id or a date range)', async () => {
    const list = await json<{ actions: unknown[] }>('/Actions');
    assert.deepEqual(list.actions, []);
  });

  it('ignores paging on /Actions, /Agent and /Team: every page is everything', async () => {
    for (let i = 0; i < 120; i++) {
      await api('/Actions', {
        method: 'POST',
        body: JSON.stringify([{ ticket_id: 1002, outcome_id: 7, note: `n${i}` }]),
      });
    }
    const first = (await json('/Actions?ticket_id=1002&pageinate=true&page_size=100&page_no=1')) as {
      actions: unknown[];
    };
    const second = (await json('/Actions?ticket_id=1002&pageinate=true&page_size=100&page_no=2')) as {
      actions: unknown[];
    };
    assert.ok(first.actions.length > 100);
    assert.deepEqual(second.actions, first.actions);
    assert.deepEqual(await json('/Agent?pageinate=true&page_size=1&page_no=2'), await json('/Agent'));
    assert.deepEqual(await json('/Team?pageinate=true&page_size=1&page_no=2'), await json('/Team'));
  });

  it('refuses ids sent as strings or as decimals, naming the field', async () => {
    // Client 10 and site 10 exist: only the type is wrong.
    for (const bad of ['10', '10.0']) {
      const response = await api('/Tickets', {
        method: 'POST',
        body: JSON.stringify([{ summary: 'x', tickettype_id: 1, client_id: bad, site_id: 10 }]),
      });
      assert.equal(response.status, 400, bad);
      const body = (await response.json()) as Record<string, string>;
      assert.match(JSON.stringify(body), /client_id/);
    }
    const decimal = await api('/Actions', {
      method: 'POST',
      body: '[{"ticket_id": "1001", "outcome_id": 7, "note": "x"}, {"ticket_id": 1001, "outcome_id": 7.5}]',
    });
    assert.equal(decimal.status, 400);
    assert.deepEqual(Object.keys((await decimal.json()) as object).sort(), ['[0].ticket_id', '[1].outcome_id']);
    const guid = await api('/Users', {
      method: 'POST',
      body: JSON.stringify([{ id: 201, azureoid: 'aaaaaaaa-0000-4000-8000-000000000201' }]),
    });
    assert.equal(guid.status, 200, 'string fields stay strings');
  });
});

describe('Halo simulator: its rolling window answers as Halo does', () => {
  it('answers 429 with a JSON body holding Halo message and no Retry-After', async () => {
    const sim = await startHaloSimulator({ rateLimit: { requests: 2, windowMs: 60_000 } });
    try {
      const bearer = await tokenFor(sim);
      const get = () => fetch(`${sim.url}/api/Status`, { headers: { authorization: `Bearer ${bearer}` } });
      await get();
      await get();
      const limited = await get();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), null);
      assert.match(limited.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(await limited.json(), 'Rate Limit Reached - 2 Requests per rolling 1 minute window');
    } finally {
      await sim.stop();
    }
  });
});
