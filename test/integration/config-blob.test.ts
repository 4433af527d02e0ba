import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { liveBlobConfig } from '../../shared/config/liveConfig';
import { ConfigConflictError, type ConfigDocumentStore, configDocumentStore } from '../../shared/storage';

const tenant = '11111111-1111-4111-8111-111111111111';
const mailbox = (id: string) => ({
  id,
  tenantId: tenant,
  address: `${id}@contoso.com`,
  ticket: { ticketTypeId: 1, fallbackClientId: 2 },
});
const doc = (value: unknown) => JSON.stringify(value, null, 2);

let storage: LocalStorage;
let store: ConfigDocumentStore;
before(async () => {
  storage = await startLocalStorage();
  const container = BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient('config');
  store = configDocumentStore(container, 'integration.json');
});
after(() => storage.stop());

describe('config document store (blob)', () => {
  it('writes, reads by ETag, keeps each replaced document under history/, and refuses a stale write', async () => {
    assert.equal(await store.read(), undefined);
    const first = await store.write(doc({ mailboxes: [mailbox('support')] }), undefined);
    assert.equal(first.previous, undefined);
    const read = await store.read();
    assert.ok(read && read !== 'unchanged');
    assert.equal(read.etag, first.etag);
    assert.equal(await store.read(first.etag), 'unchanged');

    await new Promise((r) => setTimeout(r, 5));
    const second = await store.write(doc({ mailboxes: [mailbox('helpdesk')] }), first.etag);
    assert.ok(second.previous?.startsWith('history/integration-'));
    assert.match((await store.readVersion(second.previous!)) ?? '', /support@contoso.com/);
    assert.deepEqual(
      (await store.history()).map((v) => v.name),
      [second.previous],
    );
    await assert.rejects(store.write('{}', first.etag), ConfigConflictError);
    await assert.rejects(store.write('{}', undefined), ConfigConflictError);
    assert.equal(await store.readVersion('integration.json'), undefined, 'only history/ is readable as a version');
  });
});

describe('live config from the blob', () => {
  it('follows a change within the refresh interval, refuses an invalid document and reports a deleted one', async () => {
    const container = BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient('config');
    const live2 = configDocumentStore(container, 'live.json');
    let clock = 1_000_000;
    let reads = 0;
    const events: string[] = [];
    const live = liveBlobConfig(
      {
        location: 'config/live.json',
        read: (etag) => {
          reads++;
          return live2.read(etag);
        },
      },
      { refreshMs: 30_000, now: () => clock, onEvent: (e) => events.push(e.kind) },
    );

    await live.refreshIfDue();
    assert.equal(live.status().state, 'missing');
    assert.match(live.status().problems[0] ?? '', /no integration config at config\/live\.json: push one/);
    assert.equal(live.current().mailboxes.length, 0);

    const v1 = await live2.write(doc({ mailboxes: [mailbox('support')] }), undefined);
    clock += 10_000;
    await live.refreshIfDue();
    assert.equal(reads, 1, 'not re-read before the interval');
    clock += 20_000;
    await live.refreshIfDue();
    assert.equal(live.status().state, 'ok');
    assert.equal(live.status().etag, v1.etag);
    const saved = await live2.read();
    assert.ok(saved && saved !== 'unchanged');
    assert.equal(live.status().savedAt, saved.lastModified, 'when it was pushed, for the console');
    assert.deepEqual(
      live.current().mailboxes.map((m) => m.id),
      ['support'],
    );
    assert.deepEqual(live.status().features, ['1 mailbox(es)', 'tenant sync (plan mode)']);

    clock += 30_000;
    await live.refreshIfDue();
    assert.equal(live.status().loadedAt !== undefined, true);
    assert.equal(events.filter((e) => e === 'loaded').length, 1, 'an unchanged blob is not parsed again');

    const v2 = await live2.write(doc({ mailboxes: [{ ...mailbox('bad'), address: 'not-an-address' }] }), v1.etag);
    clock += 30_000;
    await live.refreshIfDue();
    assert.equal(live.status().state, 'invalid');
    assert.deepEqual(live.status().problems, ['$.mailboxes[0].address: must be an email address']);
    assert.equal(live.current().mailboxes[0]?.id, 'support', 'the last valid config stays in use');

    await live2.write('{}', v2.etag);
    clock += 30_000;
    await live.refreshIfDue();
    assert.equal(live.status().state, 'empty');
    assert.match(live.status().problems[0] ?? '', /sets nothing/);

    await container.getBlockBlobClient('live.json').delete();
    clock += 30_000;
    await live.refreshIfDue();
    assert.equal(live.status().state, 'missing');
    assert.deepEqual(events, ['missing', 'loaded', 'refused', 'loaded', 'missing']);
  });

  it('shares one read between concurrent invocations', async () => {
    let reads = 0;
    const live = liveBlobConfig(
      {
        location: 'x',
        read: async () => {
          reads++;
          await new Promise((r) => setTimeout(r, 20));
          return { text: doc({ mailboxes: [mailbox('support')] }), etag: '"1"' };
        },
      },
      { refreshMs: 30_000 },
    );
    await Promise.all([live.refreshIfDue(), live.refreshIfDue(), live.refreshIfDue()]);
    assert.equal(reads, 1);
    assert.equal(live.status().state, 'ok');
  });

  it('an unreadable blob is reported, and the last valid config stays', async () => {
    let fail = false;
    let clock = 0;
    const live = liveBlobConfig(
      {
        location: 'x',
        read: async () => {
          if (fail) throw new Error('AuthorizationPermissionMismatch');
          return { text: doc({ mailboxes: [mailbox('support')] }), etag: '"1"' };
        },
      },
      { refreshMs: 1000, now: () => clock },
    );
    await live.refreshIfDue();
    fail = true;
    clock += 1000;
    await live.refreshIfDue();
    assert.equal(live.status().state, 'ok', 'a config is in use');
    assert.match(live.status().problems[0] ?? '', /cannot read x: AuthorizationPermissionMismatch/);
    assert.equal(live.current().mailboxes.length, 1);
  });
});
