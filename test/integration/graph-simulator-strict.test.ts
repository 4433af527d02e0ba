import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import { GraphAccessError, type TenantGraphClient } from '../../shared/graph';
import { DeltaResyncRequiredError } from '../../shared/graph/delta';
import type { MessagesDeltaPageOptions, RawMessage } from '../../shared/graph/mailOperations';
import { simulatorGraph, simulatorToken } from '../support/graph';

const SUPPORT = 'support@bridgemsp.com';

// Each of these is a way Graph answers that our simulator used to smooth over; each test would have failed before.
describe('graph simulator: at least as strict as Graph', () => {
  let sim: GraphSimulator;
  let graph: TenantGraphClient;
  let inbox: string;

  before(async () => {
    sim = await startGraphSimulator();
    graph = simulatorGraph(sim, { retry: { delaySeconds: 0 } }).home();
    inbox = (await graph.ensureMailFolder(SUPPORT, 'inbox')).id;
  });
  after(async () => {
    await sim.stop();
  });

  const round = async (options: MessagesDeltaPageOptions = {}) => {
    const items: RawMessage[] = [];
    let link = options.link;
    for (;;) {
      const page = await graph.messagesDeltaPage(SUPPORT, inbox, { ...options, ...(link ? { link } : {}) });
      items.push(...page.items);
      if (page.deltaLink) return { items, deltaLink: page.deltaLink };
      link = page.nextLink;
    }
  };

  it('messages that only changed come as partial items on the next round, with isRead as a string', async () => {
    const { deltaLink } = await round();
    const old = [
      ...sim.store.mailboxOf(sim.store.tenant('99999999-9999-4999-8999-999999999999')!, SUPPORT)!.messages.values(),
    ][0]!;
    await graph.markRead(SUPPORT, old.id);
    const next = await round({ link: deltaLink });
    assert.deepEqual(Object.keys(next.items[0]!).sort(), [
      '@odata.etag',
      '@odata.type',
      'id',
      'isRead',
      'parentFolderId',
    ]);
    assert.equal(next.items[0]!.isRead, 'true');
  });

  it('a filtered round keeps its $filter in every later link: old mail that changes never shows up', async () => {
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const first = await round({ receivedSince: since });
    assert.equal(first.items.length, 0, 'the two seeded messages are older');
    const old = [
      ...sim.store.mailboxOf(sim.store.tenant('99999999-9999-4999-8999-999999999999')!, SUPPORT)!.messages.values(),
    ][1]!;
    await graph.markRead(SUPPORT, old.id);
    const fresh = sim.deliverMail(SUPPORT, { from: 'a@contoso.com', subject: 'New' });
    const next = await round({ link: first.deltaLink });
    assert.deepEqual(
      next.items.map((m) => m.id),
      [fresh],
    );
  });

  it('a filtered round returns at most 5,000 messages, and pages stay stable while mail leaves the folder', async () => {
    const since = '2000-01-01T00:00:00Z';
    for (let i = 0; i < 5_010; i++) sim.deliverMail(SUPPORT, { from: 'bulk@contoso.com', subject: `Bulk ${i}` });
    let link: string | undefined;
    let count = 0;
    const ids = new Set<string>();
    for (;;) {
      const page = await graph.messagesDeltaPage(SUPPORT, inbox, {
        ...(link ? { link } : { receivedSince: since }),
        maxPageSize: 1000,
        select: ['id'],
      });
      count += page.items.length;
      for (const item of page.items) ids.add(item.id);
      // Move the page's messages out, as the scanner does, before reading the next page.
      const processed = await graph.ensureMailFolder(SUPPORT, 'Processed by Halo');
      const moved = await graph.moveMessages(
        SUPPORT,
        page.items.slice(0, 40).map((m) => ({ messageId: m.id, destinationId: processed.id })),
      );
      assert.ok([...moved.values()].every((o) => o.ok));
      if (page.deltaLink) break;
      link = page.nextLink;
    }
    assert.equal(count, 5_000);
    assert.equal(ids.size, 5_000, 'no message listed twice, none skipped by a shifted page');
  });

  it('messages have no $deltatoken=latest', async () => {
    const response = await graph
      .get(`/users/${SUPPORT}/mailFolders/inbox/messages/delta?$deltatoken=latest`)
      .catch((e) => e);
    assert.ok(response instanceof GraphAccessError);
    assert.equal(response.status, 400);
  });

  for (const answer of [
    { status: 410, code: 'SyncStateNotFound' },
    { status: 400, code: 'SyncStateNotFound' },
    { status: 400, code: 'resyncRequired' },
  ]) {
    it(`an expired delta token answered ${answer.status} ${answer.code} asks the caller to start over`, async () => {
      const { deltaLink } = await round({ select: ['id'], receivedSince: new Date().toISOString() });
      sim.expireDeltaTokens(answer);
      const error = await graph.messagesDeltaPage(SUPPORT, inbox, { link: deltaLink }).catch((e: unknown) => e);
      assert.ok(error instanceof DeltaResyncRequiredError, String(error));
      assert.match(error.reason, new RegExp(answer.code, 'i'));
      if (answer.status === 410) {
        const raw = await fetchRaw(deltaLink);
        assert.equal(raw.status, 410);
        assert.match(raw.headers.get('location') ?? '', /\$deltatoken=$/, 'Location with an empty $deltatoken');
      }
    });
  }

  it('$batch: a failed dependency answers 424, a body needs a Content-Type, answers come in any order', async () => {
    const answer = await graph.batch([
      { id: 'a', method: 'GET', url: `/users/${SUPPORT}/messages/nope` },
      { id: 'b', method: 'GET', url: '/organization', dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: '/organization' },
    ]);
    assert.equal(answer.get('a')?.status, 404);
    assert.equal(answer.get('b')?.status, 424);
    assert.equal(answer.get('c')?.status, 200);
    const raw = await fetchRaw(`${sim.url}/v1.0/$batch`, {
      method: 'POST',
      body: JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/subscriptions', body: {} }] }),
    });
    assert.equal(raw.status, 400, 'a body without a Content-Type header fails the whole batch');
    const ordered = await fetchRaw(`${sim.url}/v1.0/$batch`, {
      method: 'POST',
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: '/organization' },
          { id: '2', method: 'GET', url: '/domains' },
        ],
      }),
    });
    const ids = ((await ordered.json()) as { responses: { id: string }[] }).responses.map((r) => r.id);
    assert.deepEqual(ids, ['2', '1']);
  });

  it('a 403 with an empty error code still names the permission to grant', async () => {
    sim.faults.add({ path: '/mailFolders', times: 1, effect: { kind: 'status', status: 403, code: '', message: '' } });
    const error = await graph.listMailFolders(SUPPORT).catch((e: unknown) => e);
    assert.ok(error instanceof GraphAccessError);
    assert.equal(error.code, 'permissionMissing');
    assert.match(error.message, /Mail\.ReadWrite/);
    assert.doesNotMatch(error.message, /said:\s*$/, 'no empty "Graph said:"');
  });

  async function fetchRaw(url: string, init: RequestInit = {}) {
    const token = await simulatorToken(sim);
    return fetch(url, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  }
});
