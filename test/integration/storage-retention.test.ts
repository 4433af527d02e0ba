import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { timerArgument } from '../../dev/runner/schedule';
import { stateRetention } from '../../functions/stateRetention';
import { buildContainer } from '../../shared/app/buildContainer';
import type { Container } from '../../shared/app/container';
import { loadAppSettings } from '../../shared/config/appSettings';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { applyRetention } from '../../shared/retention';
import type { LogEntry } from '../../shared/runtime/logger';
import {
  connectionFromString,
  ensureTables,
  entityTable,
  type StorageConnection,
  TABLES,
  type TableName,
} from '../../shared/storage';

const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const day = (n: number) => new Date(T0 + n * DAY);

describe('storage retention on Azurite (stateRetention)', () => {
  let storage: LocalStorage;
  let connection: StorageConnection;
  let deps: Container;
  let clock = day(0);
  const logs: LogEntry[] = [];

  before(async () => {
    storage = await startLocalStorage();
    connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    const settings = loadAppSettings({
      AzureWebJobsStorage: storage.connectionString,
      HALO_BASE_URL: 'https://halo.invalid',
      HALO_CLIENT_ID: 'retention-test',
      HALO_CLIENT_SECRET: 'retention-test-secret',
      HALO_WEBHOOK_USERNAME: 'halo-webhook',
      HALO_WEBHOOK_PASSWORD: 'retention-test-password',
    });
    // Windows of 10 days everywhere but dedupe (30 days).
    const config = parseIntegrationConfig({
      retention: { runsDays: 10, mailLogDays: 10, jobsDays: 10, queueFailuresDays: 10, dedupeDays: 30 },
    });
    deps = buildContainer(settings, config, { sink: (entry) => logs.push(entry), now: () => clock });
  });
  after(async () => {
    await storage?.stop();
  });

  /** Every row of a table as `partitionKey/rowKey`, sorted. */
  // Jobs keep a time-index row (key `~t~…`) beside each job: rowsOf lists the records, and indexRowsOf checks that
  // retention removed the index rows with them.
  const allRowsOf = async (table: TableName) =>
    (await entityTable(connection, table).list(undefined)).map((r) => `${r.partitionKey}/${r.rowKey}`).sort();
  const rowsOf = async (table: TableName) => (await allRowsOf(table)).filter((key) => !key.includes('/~'));
  const indexRowsOf = async (table: TableName) => (await allRowsOf(table)).filter((key) => key.includes('/~'));

  it('deletes exactly the expired history rows, keeps state and unfinished work, and then nothing more', async () => {
    const { stores } = deps;

    // Day 0: everything starts.
    clock = day(0);
    await stores.dedupe.claim('mail', 'old-done');
    await stores.dedupe.complete('mail', 'old-done', { ticketId: 1 });
    await stores.dedupe.claim('mail', 'old-stuck'); // never completed: a stuck item, stays visible
    await stores.dedupe.claim('job', 'done-late'); // claimed long ago, completed recently (below)
    const finishedOld = await stores.runs.start('mailbox-scan:support');
    await stores.runs.finish('mailbox-scan:support', finishedOld.runId, { status: 'succeeded' });
    const runningOld = await stores.runs.start('tenant-sync'); // never finished: abandoned
    const finishedLate = await stores.runs.start('tenant-sync');
    for (const id of ['job-succeeded', 'job-interrupted', 'job-running', 'job-queued', 'job-failed-late']) {
      await stores.jobs.create({ id, status: 'queued', group: 'default', script: 'hello', source: 'webhook' });
    }
    await stores.jobs.transition('job-succeeded', { from: ['queued'], to: 'running' });
    await stores.jobs.transition('job-succeeded', { from: ['running'], to: 'succeeded' });
    await stores.jobs.transition('job-interrupted', { from: ['queued'], to: 'interrupted' });
    await stores.jobs.transition('job-running', { from: ['queued'], to: 'running' });
    await stores.mailLog.upsert({ mailbox: 'support', messageId: 'mail-old', fate: 'created', ticketId: 1 });
    const failureOld = await stores.queueFailures.record({
      queue: 'halo-events',
      kind: 'exhausted',
      preview: '{}',
      reason: 'old',
    });
    await stores.checkpoints.put('automation', 'script-queue-poll', day(0).toISOString());
    await stores.workers.upsert({ id: 'w1', group: 'default', publicKey: 'key' });
    await stores.subscriptions.upsert({
      id: 'sub-1',
      mailbox: 'support',
      clientState: 'state',
      expiresAt: day(0).toISOString(),
    });

    // Day 50: inside every window at day 55 (runs etc. cut off at day 45, dedupe at day 25).
    clock = day(50);
    await stores.dedupe.complete('job', 'done-late', { sentAt: clock.toISOString() });
    await stores.dedupe.claim('mail', 'recent-done');
    await stores.dedupe.complete('mail', 'recent-done', { ticketId: 2 });
    await stores.runs.finish('tenant-sync', finishedLate.runId, { status: 'succeeded' }); // started day 0
    const runningRecent = await stores.runs.start('tenant-sync');
    await stores.jobs.transition('job-failed-late', { from: ['queued'], to: 'failed' }); // created day 0
    await stores.mailLog.upsert({ mailbox: 'support', messageId: 'mail-recent', fate: 'appended', ticketId: 1 });
    const failureRecent = await stores.queueFailures.record({
      queue: 'halo-events',
      kind: 'exhausted',
      preview: '{}',
      reason: 'new',
    });

    const state = {
      checkpoints: await rowsOf(TABLES.checkpoints),
      workers: await rowsOf(TABLES.workers),
      subscriptions: await rowsOf(TABLES.subscriptions),
    };
    assert.equal(state.checkpoints.length + state.workers.length + state.subscriptions.length, 3);

    // Day 55, through the timer function as the host calls it.
    clock = day(55);
    const timer = timerArgument({ scheduled: clock, now: clock, last: day(54).toISOString(), next: day(56) });
    await stateRetention.handler(timer, new InvocationContext({ functionName: 'stateRetention' }), deps);

    assert.deepEqual(await rowsOf(TABLES.dedupe), ['job/done-late', 'mail/old-stuck', 'mail/recent-done']);
    assert.deepEqual(
      await rowsOf(TABLES.runs),
      [`tenant-sync/${finishedLate.runId}`, `tenant-sync/${runningRecent.runId}`].sort(),
    );
    assert.ok(!(await rowsOf(TABLES.runs)).includes(`tenant-sync/${runningOld.runId}`));
    assert.deepEqual(await rowsOf(TABLES.jobs), ['job/job-failed-late', 'job/job-queued', 'job/job-running']);
    assert.equal((await rowsOf(TABLES.mailLog)).length, 1);
    assert.equal((await indexRowsOf(TABLES.jobs)).length, 3);
    assert.deepEqual(
      (await stores.mailLog.search({ mailboxes: ['support'] })).entries.map((e) => e.messageId),
      ['mail-recent'],
    );
    assert.deepEqual(await rowsOf(TABLES.queueFailures), [`halo-events/${failureRecent.id}`]);
    assert.notEqual(failureOld.id, failureRecent.id);
    assert.deepEqual(
      {
        checkpoints: await rowsOf(TABLES.checkpoints),
        workers: await rowsOf(TABLES.workers),
        subscriptions: await rowsOf(TABLES.subscriptions),
      },
      state,
    );

    // One log line with counts of rows per table (a job is two rows), and nothing of the rows themselves.
    const lines = logs.filter((entry) => entry.message.startsWith('state retention'));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, 'info');
    assert.deepEqual(lines[0]?.fields, {
      deleted: { dedupe: 1, runs: 2, jobs: 4, maillog: 1, queuefailures: 1, halousage: 0 },
      total: 9,
    });
    assert.doesNotMatch(JSON.stringify(lines[0]), /old-done|mail-old|job-succeeded|support|halo-events/);

    // A second run at the same time finds nothing more.
    const again = await applyRetention(deps);
    assert.equal(again.deleted, 0);
    assert.equal(again.more, false);
    assert.deepEqual(
      again.tables.map((t) => [t.table, t.deleted, t.more]),
      [
        ['dedupe', 0, false],
        ['runs', 0, false],
        ['jobs', 0, false],
        ['maillog', 0, false],
        ['queuefailures', 0, false],
        ['halousage', 0, false],
      ],
    );
    assert.deepEqual(await rowsOf(TABLES.dedupe), ['job/done-late', 'mail/old-stuck', 'mail/recent-done']);
  });

  it('deletes at most the limit per call and says whether more remain', async () => {
    clock = day(10);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await deps.stores.queueFailures.record({
            queue: 'tenant-sync',
            kind: 'exhausted',
            preview: '{}',
            reason: `r${i}`,
          })
        ).id,
      );
    }
    clock = day(60);
    const before = day(40);
    const rounds = [];
    for (let i = 0; i < 3; i++) {
      const { deleted, skipped, more } = await deps.stores.retention.purgeQueueFailures(before, 2);
      rounds.push({ deleted, skipped, more });
    }
    assert.deepEqual(rounds, [
      { deleted: 2, skipped: 0, more: true },
      { deleted: 2, skipped: 0, more: true },
      { deleted: 1, skipped: 0, more: false },
    ]);
    const left = await rowsOf(TABLES.queueFailures);
    assert.ok(ids.every((id) => !left.includes(`tenant-sync/${id}`)));
    // The day-50 failure of the first test is younger than the cutoff and stays.
    assert.equal(left.length, 1);
    await assert.rejects(deps.stores.retention.purgeQueueFailures(before, 0), RangeError);
  });
});
