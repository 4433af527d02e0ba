import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { connectionFromString } from '../../shared/storage/connection';
import { type ReportStore, reportStore } from '../../shared/storage/reportStore';

describe('report blobs on Azurite', () => {
  let storage: LocalStorage;
  let reports: ReportStore;
  before(async () => {
    storage = await startLocalStorage();
    reports = reportStore(connectionFromString(storage.connectionString));
  });
  after(async () => {
    await storage.stop();
  });

  it('creates the container on first use, stores and reads back text and bytes with their content type', async () => {
    const plan = JSON.stringify({ creates: 3 });
    assert.deepEqual(await reports.put('sync/2025-03-01/contoso-plan.json', plan, 'application/json'), {
      path: 'sync/2025-03-01/contoso-plan.json',
      bytes: Buffer.byteLength(plan),
    });
    await reports.put('/sync/2025-03-01/contoso.csv', Buffer.from('name;email\nÅsa;a@x\n'), 'text/csv; charset=utf-8');
    await reports.put('mail/2025-03-01/log.json', '[]', 'application/json');

    const read = await reports.get('sync/2025-03-01/contoso-plan.json');
    assert.equal(read?.content.toString('utf8'), plan);
    assert.equal(read?.contentType, 'application/json');
    assert.equal((await reports.get('sync/2025-03-01/contoso.csv'))?.content.toString('utf8'), 'name;email\nÅsa;a@x\n');
    assert.equal(await reports.get('sync/none.json'), undefined);
  });

  it('lists by prefix in path order', async () => {
    const listed = await reports.list('sync/');
    assert.deepEqual(
      listed.map((r) => [r.path, r.contentType]),
      [
        ['sync/2025-03-01/contoso-plan.json', 'application/json'],
        ['sync/2025-03-01/contoso.csv', 'text/csv; charset=utf-8'],
      ],
    );
    assert.equal(listed[0]?.bytes, JSON.stringify({ creates: 3 }).length);
    assert.equal((await reports.list()).length, 3);
  });

  it('refuses paths that escape or have empty segments', async () => {
    await assert.rejects(reports.put('../x.json', '{}', 'application/json'), /invalid report path/);
    await assert.rejects(reports.get('a//b'), /invalid report path/);
  });
});
