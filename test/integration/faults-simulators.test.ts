import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import { type HaloSimulator, startHaloSimulator } from '../../dev/halo-sim';
import { PARTNER, requestSimulatorToken, simulatorToken } from '../support/graph';

const SUPPORT = 'support@bridgemsp.com';

/** A fetch that reports a dropped connection as 'dropped' instead of throwing. */
async function attempt(url: string, init: RequestInit): Promise<Response | 'dropped'> {
  try {
    return await fetch(url, init);
  } catch {
    return 'dropped';
  }
}

describe('fault engine in the Halo simulator', () => {
  let sim: HaloSimulator;
  let bearer: string;
  const apiUrl = (path: string) => `${sim.url}/api${path}`;
  const call = (path: string, init: RequestInit = {}) =>
    attempt(apiUrl(path), {
      ...init,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    });
  const postJson = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });
  const control = async (method: string, body?: unknown) => {
    const response = await fetch(`${sim.url}/_sim/faults`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json() as Promise<{ seed: number; rules: { fired: number }[] }>;
  };

  before(async () => {
    sim = await startHaloSimulator({ rateLimit: false });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    const token = await fetch(`${sim.authUrl}/token`, { method: 'POST', body: form });
    bearer = ((await token.json()) as { access_token: string }).access_token;
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    await control('DELETE');
  });

  // Every write endpoint the simulator has: the write happens, the answer does not arrive.
  const writes: { path: string; body: () => unknown[]; written: () => boolean }[] = [
    {
      path: '/Tickets',
      body: () => [{ summary: 'lost ticket', tickettype_id: 1, client_id: 10, site_id: 10 }],
      written: () => [...sim.store.tables.tickets.values()].some((t) => t.summary === 'lost ticket'),
    },
    {
      path: '/Actions',
      body: () => [{ ticket_id: 1001, outcome_id: 7, note: 'lost action' }],
      written: () => sim.store.actions.some((a) => a.note === 'lost action'),
    },
    {
      path: '/Users',
      body: () => [{ name: 'Lost User', site_id: 10 }],
      written: () => [...sim.store.tables.users.values()].some((u) => u.name === 'Lost User'),
    },
    {
      path: '/Client',
      body: () => [{ id: 12, website: 'https://lost.example' }],
      written: () => sim.store.tables.clients.get(12)?.website === 'https://lost.example',
    },
    {
      path: '/Site',
      body: () => [{ id: 10, name: 'Lost Site' }],
      written: () => sim.store.tables.sites.get(10)?.name === 'Lost Site',
    },
    {
      path: '/Asset',
      body: () => [{ inventory_number: 'LOST-1', client_id: 10, site_id: 10, assettype_id: 1 }],
      written: () => [...sim.store.tables.assets.values()].some((a) => a.inventory_number === 'LOST-1'),
    },
    {
      path: '/Attachment',
      body: () => [{ ticket_id: 1001, filename: 'lost.txt', data_base64: 'aGk=' }],
      written: () => [...sim.store.tables.attachments.values()].some((a) => a.filename === 'lost.txt'),
    },
    {
      path: '/PowerShellScriptProcessing',
      body: () => {
        sim.store.tables.scriptRuns.set(900, { id: 900, pssid: 1, faultid: 1001, processed: false });
        return [{ id: 900, processed: true, success: true, result_message: 'lost' }];
      },
      written: () => sim.store.tables.scriptRuns.get(900)?.processed === true,
    },
  ];

  for (const answer of ['drop', 502, 504] as const) {
    it(`performs every write, then loses its answer (${answer})`, async () => {
      for (const write of writes) {
        await control('PUT', {
          rules: [{ method: 'POST', path: `^/api${write.path}$`, times: 1, effect: { kind: 'lostAnswer', answer } }],
        });
        const result = await postJson(write.path, write.body());
        if (answer === 'drop') assert.equal(result, 'dropped', write.path);
        else {
          assert.ok(result !== 'dropped');
          assert.equal(result.status, answer, write.path);
          assert.match(await result.text(), /<html>/);
        }
        assert.ok(write.written(), `${write.path} was written`);
        const logged = sim.requests().at(-1)!;
        assert.equal(logged.fault, 'lostAnswer');
        assert.equal(logged.servedStatus, 200);
        // Clean up the one-off records so that the next answer kind writes them afresh.
        for (const [id, t] of sim.store.tables.tickets)
          if (t.summary === 'lost ticket') sim.store.tables.tickets.delete(id);
        sim.store.actions = sim.store.actions.filter((a) => a.note !== 'lost action');
        for (const [id, u] of sim.store.tables.users) if (u.name === 'Lost User') sim.store.tables.users.delete(id);
        for (const [id, a] of sim.store.tables.assets)
          if (a.inventory_number === 'LOST-1') sim.store.tables.assets.delete(id);
        for (const [id, a] of sim.store.tables.attachments)
          if (a.filename === 'lost.txt') sim.store.tables.attachments.delete(id);
        sim.store.tables.clients.get(12)!.website = '';
        sim.store.tables.sites.get(10)!.name = 'Main';
      }
    });
  }

  it('drops a connection before anything is written', async () => {
    await control('POST', { method: 'POST', path: '^/api/Tickets', times: 1, effect: { kind: 'drop' } });
    const before = sim.store.tables.tickets.size;
    assert.equal(await postJson('/Tickets', [{ summary: 'never', tickettype_id: 1, client_id: 10 }]), 'dropped');
    assert.equal(sim.store.tables.tickets.size, before);
  });

  it('answers 429 with Halo message and without Retry-After, or with it when asked; 5xx in Halo style', async () => {
    await control('POST', [
      { path: '^/api/Status', times: 1, effect: { kind: 'status', status: 429 } },
      { path: '^/api/Status', times: 1, effect: { kind: 'status', status: 429, retryAfter: 12 } },
      { path: '^/api/Status', times: 1, effect: { kind: 'status', status: 503 } },
    ]);
    const plain = (await call('/Status')) as Response;
    assert.equal(plain.status, 429);
    assert.equal(plain.headers.get('retry-after'), null);
    assert.match((await plain.json()) as string, /^Rate Limit Reached/);
    const withHeader = (await call('/Status')) as Response;
    assert.equal(withHeader.headers.get('retry-after'), '12');
    const unavailable = (await call('/Status')) as Response;
    assert.equal(unavailable.status, 503);
    assert.deepEqual(await unavailable.json(), { ClassName: 'System.Exception', Message: 'Simulated fault' });
    assert.equal(((await call('/Status')) as Response).status, 200);
  });

  it('delays by latency, then serves', async () => {
    await control('POST', { path: '^/api/Outcome', times: 1, effect: { kind: 'latency', ms: 150 } });
    const started = Date.now();
    assert.equal(((await call('/Outcome')) as Response).status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  it('faults the token endpoint only with scope token', async () => {
    await control('POST', { scope: 'token', times: 1, effect: { kind: 'status', status: 429 } });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    assert.equal((await fetch(`${sim.authUrl}/token`, { method: 'POST', body: form })).status, 429);
    assert.equal((await fetch(`${sim.authUrl}/token`, { method: 'POST', body: form })).status, 200);
  });

  it('replays the same faults from the same seed over HTTP', async () => {
    const run = async (seed: number) => {
      await control('PUT', {
        seed,
        rules: [{ path: '^/api/Status', probability: 0.4, effect: { kind: 'status', status: 500 } }],
      });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push(((await call('/Status')) as Response).status);
      return statuses.join(',');
    };
    const first = await run(31);
    assert.equal(await run(31), first);
    assert.notEqual(await run(32), first);
    assert.match(first, /500/);
    assert.match(first, /200/);
  });
});

describe('fault engine in the Graph simulator', () => {
  let sim: GraphSimulator;
  let token: string;
  const call = (path: string, init: RequestInit = {}) =>
    attempt(`${sim.url}/v1.0${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Prefer: 'IdType="ImmutableId"' },
    });
  const mailbox = () => sim.store.mailboxOf(sim.store.tenant(PARTNER)!, SUPPORT)!;

  before(async () => {
    sim = await startGraphSimulator();
    token = await simulatorToken(sim, PARTNER);
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.faults.clear();
  });

  it('sends the mail, then loses the answer: the mail is out, the caller cannot know', async () => {
    sim.faults.add({ method: 'POST', path: '/sendMail$', times: 1, effect: { kind: 'lostAnswer' } });
    const before = sim.sentMail().length;
    const result = await call(`/users/${SUPPORT}/sendMail`, {
      method: 'POST',
      body: JSON.stringify({
        message: {
          subject: 'Lost answer',
          body: { contentType: 'Text', content: 'hi' },
          toRecipients: [{ emailAddress: { address: 'megan.bowen@contoso.com' } }],
        },
      }),
    });
    assert.equal(result, 'dropped');
    assert.equal(sim.sentMail().length, before + 1);
    const logged = sim.requests().at(-1)!;
    assert.equal(logged.fault, 'lostAnswer');
    assert.equal(logged.route, 'mail.send');
  });

  it('moves, creates folders and marks read, then answers 502/504 instead', async () => {
    const id = sim.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: 'Move me' });
    sim.faults.add({ method: 'POST', path: '/move$', times: 1, effect: { kind: 'lostAnswer', answer: 502 } });
    const archive = [...mailbox().folders.values()].find((f) => f.displayName !== 'Inbox')!;
    const moved = (await call(`/users/${SUPPORT}/messages/${id}/move`, {
      method: 'POST',
      body: JSON.stringify({ destinationId: archive.id }),
    })) as Response;
    assert.equal(moved.status, 502);
    assert.equal(mailbox().messages.get(id)?.parentFolderId, archive.id);

    sim.faults.add({ method: 'POST', path: '/mailFolders$', times: 1, effect: { kind: 'lostAnswer', answer: 504 } });
    const created = (await call(`/users/${SUPPORT}/mailFolders`, {
      method: 'POST',
      body: JSON.stringify({ displayName: 'Lost folder' }),
    })) as Response;
    assert.equal(created.status, 504);
    assert.ok([...mailbox().folders.values()].some((f) => f.displayName === 'Lost folder'));

    sim.faults.add({ method: 'PATCH', times: 1, effect: { kind: 'lostAnswer', answer: 504 } });
    const patched = (await call(`/users/${SUPPORT}/messages/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ isRead: true }),
    })) as Response;
    assert.equal(patched.status, 504);
    assert.equal(mailbox().messages.get(id)?.isRead, true);
  });

  it('runs a $batch item whose answer is lost as a 504 item, the others untouched', async () => {
    const id = sim.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: 'Batch read' });
    sim.faults.add({ scope: 'batch', method: 'PATCH', times: 1, effect: { kind: 'lostAnswer' } });
    const response = (await call('/$batch', {
      method: 'POST',
      body: JSON.stringify({
        requests: [
          {
            id: '1',
            method: 'PATCH',
            url: `/users/${SUPPORT}/messages/${id}`,
            body: { isRead: true },
            headers: { 'Content-Type': 'application/json' },
          },
          { id: '2', method: 'GET', url: '/organization' },
        ],
      }),
    })) as Response;
    const body = (await response.json()) as { responses: { id: string; status: number }[] };
    assert.deepEqual(body.responses.map((r) => [r.id, r.status]).sort(), [
      ['1', 504],
      ['2', 200],
    ]);
    assert.equal(mailbox().messages.get(id)?.isRead, true);
  });

  it('throttles the token endpoint with an Entra-style 429 and Retry-After', async () => {
    sim.faults.add({ scope: 'token', times: 1, effect: { kind: 'status', status: 429, retryAfter: 2 } });
    const response = await requestSimulatorToken(sim, PARTNER);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '2');
    const body = (await response.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'temporarily_unavailable');
    assert.match(body.error_description, /^AADSTS90055:/);
    assert.equal((await requestSimulatorToken(sim, PARTNER)).status, 200);
  });
});
