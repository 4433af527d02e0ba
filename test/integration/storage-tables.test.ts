import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { odata } from '@azure/data-tables';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { connectionFromString, type StorageConnection } from '../../shared/storage/connection';
import { ConcurrencyError } from '../../shared/storage/errors';
import { rawQueue } from '../../shared/storage/rawQueue';
import { checkpointStore } from '../../shared/storage/tables/checkpoints';
import { dedupeStore } from '../../shared/storage/tables/dedupe';
import { ensureTables } from '../../shared/storage/tables/ensureTables';
import { JobTransitionError, jobStore } from '../../shared/storage/tables/jobs';
import { mailLogStore } from '../../shared/storage/tables/mailLog';
import { queueFailureStore } from '../../shared/storage/tables/queueFailures';
import { StoredRecordError } from '../../shared/storage/tables/records';
import { runStore } from '../../shared/storage/tables/runs';
import { subscriptionStore } from '../../shared/storage/tables/subscriptions';
import { workerStore } from '../../shared/storage/tables/workers';

describe('state tables on Azurite', () => {
  let storage: LocalStorage;
  let connection: StorageConnection;
  let clock = new Date('2025-03-01T10:00:00Z');
  const now = () => clock;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  before(async () => {
    storage = await startLocalStorage();
    connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    await ensureTables(connection);
  });
  after(async () => {
    await storage.stop();
  });

  describe('checkpoints', () => {
    it('stores a delta link per scope and key, keys with forbidden characters included', async () => {
      const checkpoints = checkpointStore(connection, { now });
      assert.equal(await checkpoints.get('mail:support@x.com', 'inbox'), undefined);
      const link = "https://graph.microsoft.com/v1.0/users/a/messages/delta?$deltatoken=ab/c#d?e%f'g";
      const saved = await checkpoints.put('mail:support@x.com', 'in/box#1?', link, null);
      const read = await checkpoints.get('mail:support@x.com', 'in/box#1?');
      assert.equal(read?.value, link);
      assert.equal(read?.key, 'in/box#1?');
      assert.equal(read?.etag, saved.etag);
      assert.equal(read?.updatedAt, clock.toISOString());
      assert.equal((await checkpoints.list('mail:support@x.com')).length, 1);
    });

    it('refuses a write with a stale ETag, and a create over an existing row', async () => {
      const checkpoints = checkpointStore(connection, { now });
      const first = await checkpoints.put('tenant:t1', 'users', 'link-1');
      const second = await checkpoints.put('tenant:t1', 'users', 'link-2', first.etag);
      await assert.rejects(checkpoints.put('tenant:t1', 'users', 'link-3', first.etag), (error: unknown) => {
        assert.ok(error instanceof ConcurrencyError);
        assert.equal(error.reason, 'stale-etag');
        return true;
      });
      await assert.rejects(
        checkpoints.put('tenant:t1', 'users', 'link-4', null),
        (error: unknown) => error instanceof ConcurrencyError && error.reason === 'already-exists',
      );
      assert.equal((await checkpoints.get('tenant:t1', 'users'))?.value, 'link-2');
      await checkpoints.put('tenant:t1', 'users', 'link-5', second.etag);
      assert.equal((await checkpoints.get('tenant:t1', 'users'))?.value, 'link-5');
      assert.equal(await checkpoints.delete('tenant:t1', 'users'), true);
      assert.equal(await checkpoints.delete('tenant:t1', 'users'), false);
    });
  });

  describe('dedupe', () => {
    it('lets exactly one of 10 concurrent callers claim a key', async () => {
      const dedupe = dedupeStore(connection, { now });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => dedupe.claim('mail:support', 'AAMk/msg+1==', { caller: i })),
      );
      const winners = results.filter((r) => r.claimed);
      assert.equal(winners.length, 1);
      const losers = results.filter((r) => !r.claimed);
      assert.equal(losers.length, 9);
      for (const loser of losers) {
        if (loser.claimed) continue;
        assert.equal(loser.existing.status, 'claimed');
        assert.deepEqual(loser.existing.data, winners[0]?.claimed ? winners[0].record.data : undefined);
      }
    });

    it('claim, complete: later claims see the result; claimed-but-not-completed stays visible', async () => {
      const dedupe = dedupeStore(connection, { now });
      const first = await dedupe.claim('mail:support', 'm2', { subject: 'Help' });
      assert.equal(first.claimed, true);
      const pending = await dedupe.claim('mail:support', 'm2');
      assert.ok(!pending.claimed && pending.existing.status === 'claimed');
      assert.equal(pending.existing.completedAt, undefined);

      const done = await dedupe.complete('mail:support', 'm2', { ticketId: 1005 });
      assert.equal(done.status, 'completed');
      const later = await dedupe.claim('mail:support', 'm2');
      assert.ok(!later.claimed);
      assert.deepEqual(later.existing.result, { ticketId: 1005 });
      assert.deepEqual(later.existing.data, { subject: 'Help' });
      assert.deepEqual((await dedupe.get('mail:support', 'm2'))?.result, { ticketId: 1005 });
      assert.equal(await dedupe.release('mail:support', 'm2'), false, 'a completed key is kept');
    });

    it('takes over a stale claim once, and lets a released key be claimed again', async () => {
      const dedupe = dedupeStore(connection, { now });
      await dedupe.claim('jobs', 'j-crashed');
      const early = await dedupe.claim('jobs', 'j-crashed', undefined, { staleAfterMs: 60_000 });
      assert.equal(early.claimed, false);
      advance(61_000);
      const takeovers = await Promise.all(
        Array.from({ length: 5 }, () => dedupe.claim('jobs', 'j-crashed', undefined, { staleAfterMs: 60_000 })),
      );
      const won = takeovers.filter((r) => r.claimed);
      assert.equal(won.length, 1);
      assert.ok(won[0]?.claimed && won[0].tookOver);

      await dedupe.claim('jobs', 'j-retry');
      assert.equal(await dedupe.release('jobs', 'j-retry'), true);
      assert.equal((await dedupe.claim('jobs', 'j-retry')).claimed, true);
    });
  });

  describe('runs', () => {
    it('starts and finishes runs, listed newest first, with truncated oversized summaries', async () => {
      const runs = runStore(connection, { now });
      const older = await runs.start('tenant-sync');
      advance(1_000);
      const newer = await runs.start('tenant-sync', { summary: { tenants: 4 } });
      assert.equal(newer.status, 'running');
      const finished = await runs.finish('tenant-sync', newer.runId, {
        status: 'partial',
        counts: { created: 3, failed: 1 },
        summary: { big: 'z'.repeat(100_000) },
        error: 'one tenant throttled',
      });
      assert.equal(finished.finishedAt, clock.toISOString());
      const listed = await runs.list('tenant-sync');
      assert.deepEqual(
        listed.map((r) => r.runId),
        [newer.runId, older.runId],
      );
      const read = await runs.get('tenant-sync', newer.runId);
      assert.deepEqual(read?.counts, { created: 3, failed: 1 });
      assert.equal((read?.summary as { $truncated?: boolean } | undefined)?.$truncated, true);
      assert.equal(read?.error, 'one tenant throttled');
      assert.equal((await runs.list('tenant-sync', { top: 1 })).length, 1);
      await assert.rejects(runs.finish('tenant-sync', 'nope', { status: 'failed' }), ConcurrencyError);
    });
  });

  describe('jobs', () => {
    it('creates once, transitions only from allowed statuses, truncates output', async () => {
      const jobs = jobStore(connection, { now });
      const draft = {
        id: 'job-1',
        status: 'queued',
        group: 'default',
        script: 'hello.sh',
        ticketId: 1001,
        source: 'webhook',
      };
      const created = await jobs.create(draft);
      assert.equal(created.createdAt, clock.toISOString());
      await assert.rejects(jobs.create(draft), ConcurrencyError);

      advance(500);
      const running = await jobs.transition('job-1', {
        from: ['queued'],
        to: 'running',
        patch: { workerId: 'w1', startedAt: clock.toISOString() },
      });
      assert.equal(running.status, 'running');
      assert.equal(running.createdAt, created.createdAt);
      assert.equal(running.updatedAt, clock.toISOString());
      assert.notEqual(running.updatedAt, created.updatedAt);
      await assert.rejects(
        jobs.transition('job-1', { from: ['queued'], to: 'running' }),
        (error: unknown) => error instanceof JobTransitionError && error.current === 'running',
      );
      const results = await Promise.allSettled(
        ['succeeded', 'failed'].map((to) =>
          jobs.transition('job-1', { from: ['running'], to, patch: { output: 'x'.repeat(40_000) } }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'only one final status wins');
      const final = await jobs.get('job-1');
      assert.ok(final && ['succeeded', 'failed'].includes(final.status));
      assert.ok((final.output?.length ?? 0) <= 30_000);
      assert.match(final.output ?? '', /truncated/);
      assert.equal(final.ticketId, 1001);
      assert.equal(final.workerId, 'w1');

      await jobs.upsert({ ...draft, id: 'job-2', status: 'queued' });
      assert.deepEqual(
        (await jobs.list({ filter: odata`status eq ${'queued'}` })).map((j) => j.id),
        ['job-2'],
      );
      await assert.rejects(
        jobs.create({ ...draft, id: 'job-3', ticketId: 1.5 }),
        (error: unknown) => error instanceof StoredRecordError && /ticketId/.test(error.message),
      );
    });
  });

  describe('mail log, subscriptions, workers, queue failures', () => {
    it('logs the fate of each mail per mailbox', async () => {
      const log = mailLogStore(connection, { now });
      await log.upsert({ mailbox: 'support@bridgemsp.com', messageId: 'AAMk/1==', fate: 'created', ticketId: 1006 });
      await log.upsert({
        mailbox: 'support@bridgemsp.com',
        messageId: 'AAMk/2==',
        fate: 'ignored',
        subject: 's'.repeat(5_000),
      });
      await log.upsert({ mailbox: 'other@bridgemsp.com', messageId: 'AAMk/1==', fate: 'failed', detail: 'boom' });
      const entries = await log.list('support@bridgemsp.com');
      assert.equal(entries.length, 2);
      assert.equal((await log.get('support@bridgemsp.com', 'AAMk/1=='))?.ticketId, 1006);
      assert.ok(((await log.get('support@bridgemsp.com', 'AAMk/2=='))?.subject?.length ?? 0) <= 1_000);
      assert.equal((await log.list('support@bridgemsp.com', { filter: odata`fate eq ${'created'}` })).length, 1);
    });

    it('keeps Graph subscriptions and finds the ones due for renewal', async () => {
      const subs = subscriptionStore(connection);
      await subs.upsert({
        id: 'sub-1',
        mailbox: 'support@x.com',
        clientState: 'cs-1',
        expiresAt: '2025-03-02T00:00:00Z',
      });
      await subs.upsert({
        id: 'sub-2',
        mailbox: 'sales@x.com',
        clientState: 'cs-2',
        expiresAt: '2025-03-05T00:00:00Z',
      });
      assert.equal((await subs.get('sub-1'))?.clientState, 'cs-1');
      assert.deepEqual(
        (await subs.expiringBefore(new Date('2025-03-03T00:00:00Z'))).map((s) => s.id),
        ['sub-1'],
      );
      assert.deepEqual(
        (await subs.listForMailbox('sales@x.com')).map((s) => s.id),
        ['sub-2'],
      );
      assert.equal(await subs.delete('sub-1'), true);
      assert.equal((await subs.list()).length, 1);
      await assert.rejects(
        subs.upsert({ id: 'sub-3', mailbox: 'm', clientState: 'c', expiresAt: 'soon' }),
        /expiresAt: must be an ISO date-time/,
      );
    });

    it('registers workers by group and records when they were seen', async () => {
      const workers = workerStore(connection, { now });
      await workers.upsert({ id: 'w1', group: 'default', publicKey: 'MCowBQYDK2VwAyEA' });
      await workers.upsert({ id: 'w2', group: 'site-b', publicKey: 'MCowBQYDK2VwAyEB', enabled: false });
      assert.deepEqual(
        (await workers.listGroup('default')).map((w) => w.id),
        ['w1'],
      );
      advance(5_000);
      assert.equal(await workers.touch('w1'), true);
      assert.equal(await workers.touch('nobody'), false);
      const w1 = await workers.get('w1');
      assert.equal(w1?.lastSeenAt, clock.toISOString());
      assert.equal(w1?.enabled, true);
      assert.equal(w1?.publicKey, 'MCowBQYDK2VwAyEA');
      assert.equal((await workers.get('w2'))?.enabled, false);
    });

    it('records queue failures per queue, newest first, with a bounded preview', async () => {
      const failures = queueFailureStore(connection, { now });
      const first = await failures.record({
        queue: 'halo-events',
        kind: 'exhausted',
        preview: '{"id":1}',
        reason: 'bad ticket id',
        dequeueCount: 5,
      });
      advance(1_000);
      const second = await failures.record({
        queue: 'halo-events',
        kind: 'malformed',
        preview: 'm'.repeat(50_000),
        reason: 'timeout',
      });
      const listed = await failures.list('halo-events');
      assert.deepEqual(
        listed.map((f) => f.id),
        [second.id, first.id],
      );
      assert.ok((listed[0]?.preview.length ?? 0) <= 2_000);
      assert.equal((await failures.get('halo-events', first.id))?.dequeueCount, 5);
      assert.equal(first.status, 'open');
      assert.equal(first.replayable, false, 'no payload kept: nothing to replay');
    });

    it('records the same queue message once, however often it is recorded (crash between record and delete)', async () => {
      const failures = queueFailureStore(connection, { now });
      const identity = { messageId: 'msg-twice', insertedAt: new Date('2025-03-01T09:00:00Z') };
      const once = await failures.record({
        queue: 'twice',
        kind: 'undeliverable',
        preview: 'x',
        reason: 'a',
        identity,
      });
      advance(60_000);
      const again = await failures.record({
        queue: 'twice',
        kind: 'undeliverable',
        preview: 'x',
        reason: 'b',
        identity,
      });
      assert.equal(again.id, once.id);
      assert.equal(again.reason, 'a');
      assert.equal((await failures.list('twice')).length, 1);
    });

    it('replays a kept message once onto its queue, refuses a second replay, and dismisses what is left', async () => {
      const failures = queueFailureStore(connection, { now });
      const queue = rawQueue(connection, 'replay-target');
      await queue.ensure();
      const payload = Buffer.from(JSON.stringify({ n: 'x'.repeat(47_000) })).toString('base64');
      const kept = await failures.record({
        queue: 'replay-target',
        kind: 'exhausted',
        preview: '{"n":…',
        reason: 'r',
        payload,
      });
      assert.equal(kept.replayable, true);
      const [first, second] = await Promise.all([
        failures.replay('replay-target', kept.id),
        failures.replay('replay-target', kept.id),
      ]);
      const outcomes = [first, second].map((o) => (o.ok ? 'sent' : o.reason));
      assert.equal(outcomes.filter((o) => o === 'sent').length, 1, JSON.stringify(outcomes));
      assert.ok(
        outcomes.every((o) => ['sent', 'raced', 'replaying'].includes(o)),
        JSON.stringify(outcomes),
      );
      const [received] = await queue.receive({ maxMessages: 32 });
      assert.equal(received?.text, payload, 'the exact text, 63 KB of base64 over three properties');
      assert.equal((await queue.receive({ maxMessages: 32 })).length, 0);
      const after = await failures.get('replay-target', kept.id);
      assert.equal(after?.status, 'replayed');
      assert.equal(after?.replayMessageId, received?.messageId);
      const again = await failures.replay('replay-target', kept.id);
      assert.equal(again.ok ? 'sent' : again.reason, 'alreadyReplayed');
      assert.equal((await failures.dismiss('replay-target', kept.id)).ok, false);

      const malformed = await failures.record({
        queue: 'replay-target',
        kind: 'malformed',
        preview: 'not json',
        reason: 'not JSON',
        payload: 'bm90IGpzb24=',
        replayable: false,
      });
      const refused = await failures.replay('replay-target', malformed.id);
      assert.equal(refused.ok ? 'sent' : refused.reason, 'notReplayable');
      const dismissed = await failures.dismiss('replay-target', malformed.id, 'sender fixed');
      assert.equal(dismissed.ok && dismissed.failure.status, 'dismissed');
      assert.equal((await failures.get('replay-target', malformed.id))?.note, 'sender fixed');
      assert.deepEqual(
        (await failures.list('replay-target', { status: 'open' })).map((f) => f.id),
        [],
      );
      assert.equal(
        (await failures.list(undefined)).some((f) => f.queue === 'replay-target'),
        true,
      );
      const missing = await failures.replay('replay-target', 'no-such-id');
      assert.equal(missing.ok ? 'sent' : missing.reason, 'notFound');
    });
  });
});
