import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { connectionFromString, type StorageConnection } from '../../shared/storage/connection';
import { ConcurrencyError } from '../../shared/storage/errors';
import { TABLES } from '../../shared/storage/names';
import { ensureTables } from '../../shared/storage/tables/ensureTables';
import { entityTable } from '../../shared/storage/tables/entityTable';
import { type JobStore, JobTransitionError, jobStore } from '../../shared/storage/tables/jobs';

const T0 = Date.parse('2025-03-01T00:00:00Z');

describe('jobs: the newest-first time index on Azurite', () => {
  let storage: LocalStorage;
  let connection: StorageConnection;
  let jobs: JobStore;
  let clock = new Date(T0);

  before(async () => {
    storage = await startLocalStorage();
    connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    jobs = jobStore(connection, { now: () => clock });
    for (let i = 0; i < 60; i++) {
      clock = new Date(T0 + i * 60_000);
      await jobs.create({
        id: `job-${i}`,
        status: 'queued',
        group: i % 2 ? 'default' : 'site-b',
        script: i % 3 ? 'hello.sh' : 'leaver.ps1',
        ticketId: 1000 + (i % 4),
        source: 'webhook',
      });
    }
  });
  after(async () => {
    await storage.stop();
  });

  const allIds = async (query: Parameters<JobStore['page']>[0] = {}) => {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await jobs.page({ ...query, ...(after ? { after } : {}) });
      ids.push(...page.jobs.map((j) => j.id));
      after = page.next;
    } while (after);
    return ids;
  };

  it('pages newest first, every job once, and filters on the service', async () => {
    const ids = await allIds({ limit: 25 });
    assert.deepEqual(
      ids,
      Array.from({ length: 60 }, (_, i) => `job-${59 - i}`),
    );
    assert.deepEqual(await allIds({ script: 'leaver.ps1', ticketId: 1000, limit: 2 }), [
      'job-48',
      'job-36',
      'job-24',
      'job-12',
      'job-0',
    ]);
    assert.equal((await allIds({ group: 'site-b' })).length, 30);
    assert.equal((await jobs.list()).length, 60, 'list returns job rows only');
  });

  it('keeps the time row in step with every transition, in one transaction', async () => {
    const long = `${'x'.repeat(5_000)}\nthe last line`;
    await jobs.transition('job-7', { from: ['queued'], to: 'running', patch: { workerId: 'w1' } });
    await jobs.transition('job-7', { from: ['running'], to: 'succeeded', patch: { output: long } });
    const [summary] = (await jobs.page({ status: 'succeeded' })).jobs;
    assert.equal(summary?.id, 'job-7');
    assert.equal(summary?.workerId, 'w1');
    assert.equal(summary?.outputTail?.length, 2_000);
    assert.ok(summary?.outputTail?.endsWith('the last line'));
    assert.equal((await jobs.get('job-7'))?.output, long);
    assert.deepEqual(await allIds({ status: 'running' }), []);
  });

  it('refuses a second create and a stale transition without touching the index', async () => {
    const rowsBefore = (await entityTable(connection, TABLES.jobs).list('job')).length;
    await assert.rejects(
      jobs.create({ id: 'job-3', status: 'queued', group: 'default', script: 'x', source: 'webhook' }),
      (error: unknown) => error instanceof ConcurrencyError && error.reason === 'already-exists',
    );
    assert.equal((await entityTable(connection, TABLES.jobs).list('job')).length, rowsBefore);
    assert.equal((await jobs.get('job-3'))?.script, 'leaver.ps1');
    assert.equal(rowsBefore, 120, 'a job row and a time row per job');

    const racing = await Promise.allSettled([
      jobs.transition('job-5', { from: ['queued'], to: 'running' }),
      jobs.transition('job-5', { from: ['queued'], to: 'expired' }),
    ]);
    assert.equal(racing.filter((r) => r.status === 'fulfilled').length, 1, 'one transition wins');
    const rejected = racing.find((r) => r.status === 'rejected');
    assert.ok(rejected && rejected.reason instanceof JobTransitionError);
    const status = (await jobs.get('job-5'))?.status;
    const indexed = (await jobs.page({ limit: 500 })).jobs.find((j) => j.id === 'job-5')?.status;
    assert.equal(indexed, status, 'the time row has the winner');
  });

  it('moves the time row when an upsert changes the creation time', async () => {
    await jobs.upsert({
      id: 'job-moved',
      status: 'failed',
      group: 'default',
      script: 'x',
      source: 'schedule',
      createdAt: new Date(T0 - 86_400_000).toISOString(),
    });
    await jobs.upsert({
      id: 'job-moved',
      status: 'failed',
      group: 'default',
      script: 'x',
      source: 'schedule',
      createdAt: new Date(T0 + 86_400_000).toISOString(),
    });
    const ids = await allIds();
    assert.equal(ids[0], 'job-moved');
    assert.equal(ids.filter((id) => id === 'job-moved').length, 1);
  });
});
