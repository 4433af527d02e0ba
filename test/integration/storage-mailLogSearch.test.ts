import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { connectionFromString, type StorageConnection } from '../../shared/storage/connection';
import { TABLES } from '../../shared/storage/names';
import { ensureTables } from '../../shared/storage/tables/ensureTables';
import { entityTable } from '../../shared/storage/tables/entityTable';
import {
  fateOutcome,
  type MailLogDraft,
  type MailLogQuery,
  type MailLogStore,
  mailLogStore,
} from '../../shared/storage/tables/mailLog';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const DAY = 86_400_000;
const FATES = [
  'ticket 5 created',
  'appended to 7',
  'ignored by rule autoReply: out of office',
  'failed: Halo said 500',
];
const SENDERS = ['Megan.Bowen@contoso.com', 'alex@contoso.com', 'ops@fabrikam.com', 'noreply@northwind.com'];

/** A deterministic spread of mails over two mailboxes, one every 7 minutes, some sharing a minute. */
function seedEntries(count: number): MailLogDraft[] {
  return Array.from({ length: count }, (_, i) => ({
    mailbox: i % 3 === 0 ? 'sales' : 'support',
    messageId: `AAMk${i}/x==`,
    fate: FATES[i % FATES.length]!,
    ...(i % 4 === 1 ? { ticketId: 1000 + (i % 5) } : {}),
    subject: `${i % 2 === 0 ? 'Printer' : 'Mailbox'} problem number ${i}`,
    from: SENDERS[i % SENDERS.length],
    receivedAt: new Date(T0 + Math.floor(i / 2) * 7 * 60_000).toISOString(),
    processedAt: new Date(T0 + i * 7 * 60_000 + 1000).toISOString(),
  }));
}

/** Every page of a search, following `next`. */
async function allPages(log: MailLogStore, query: MailLogQuery): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await log.search({ ...query, ...(after ? { after } : {}) });
    ids.push(...page.entries.map((e) => e.messageId));
    after = page.next;
    pages++;
    assert.ok(pages < 200, 'paging ends');
  } while (after);
  return { ids, pages };
}

/** What a search must find: the brute-force answer over the seed, newest first. */
function expected(entries: readonly MailLogDraft[], keep: (e: MailLogDraft) => boolean): string[] {
  return entries
    .filter(keep)
    .sort((a, b) => Date.parse(b.receivedAt ?? '') - Date.parse(a.receivedAt ?? ''))
    .map((e) => e.messageId);
}

const sameSet = (actual: string[], wanted: string[]) => {
  assert.equal(new Set(actual).size, actual.length, 'no entry twice');
  assert.deepEqual([...actual].sort(), [...wanted].sort());
};

/** Newest first, ties (same received time) in any order. */
function assertNewestFirst(log: readonly MailLogDraft[], ids: readonly string[]): void {
  const time = new Map(log.map((e) => [e.messageId, Date.parse(e.receivedAt ?? '')]));
  for (let i = 1; i < ids.length; i++) assert.ok(time.get(ids[i - 1]!)! >= time.get(ids[i]!)!, `order at ${i}`);
}

describe('mail log search on Azurite (day partitions newest first, server-side filters, bounded text scan)', () => {
  let storage: LocalStorage;
  let connection: StorageConnection;
  let log: MailLogStore;
  const entries = seedEntries(240);
  const mailboxes = ['support', 'sales'];
  // One mail every 12 hours over the 20 days before T0, in a mailbox of its own.
  const archive: MailLogDraft[] = Array.from({ length: 40 }, (_, i) => ({
    mailbox: 'archive',
    messageId: `AAMkArchive${i}`,
    fate: FATES[i % FATES.length]!,
    subject: `Archived ${i}`,
    from: 'old@contoso.com',
    receivedAt: new Date(T0 - (i + 1) * (DAY / 2)).toISOString(),
  }));

  before(async () => {
    storage = await startLocalStorage();
    connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    log = mailLogStore(connection, { now: () => new Date(T0 + DAY) });
    assert.equal(await log.importNew(entries), entries.length);
    assert.equal(await log.importNew(archive), archive.length);
  });
  after(async () => {
    await storage.stop();
  });

  it('pages through both mailboxes newest first, every entry exactly once', async () => {
    const { ids, pages } = await allPages(log, { mailboxes, limit: 25 });
    sameSet(
      ids,
      expected(entries, () => true),
    );
    assertNewestFirst(entries, ids);
    assert.ok(pages >= 10, `${pages} pages of 25`);
  });

  it('filters by sender address (any case), by domain (with or without @), ticket and outcome on the service', async () => {
    const megan = await allPages(log, { mailboxes, from: 'megan.bowen@CONTOSO.com', limit: 10 });
    sameSet(
      megan.ids,
      expected(entries, (e) => e.from === 'Megan.Bowen@contoso.com'),
    );
    for (const domain of ['contoso.com', '@contoso.com']) {
      const found = await allPages(log, { mailboxes, from: domain, limit: 30 });
      sameSet(
        found.ids,
        expected(entries, (e) => e.from?.endsWith('@contoso.com') === true),
      );
    }
    const ticket = await allPages(log, { mailboxes, ticketId: 1001 });
    sameSet(
      ticket.ids,
      expected(entries, (e) => e.ticketId === 1001),
    );
    assert.ok(ticket.ids.length > 0);
    const ignored = await allPages(log, { mailboxes, outcome: 'ignored', limit: 20 });
    sameSet(
      ignored.ids,
      expected(entries, (e) => e.fate.startsWith('ignored')),
    );
    const page = await log.search({ mailboxes, outcome: 'failed', limit: 5 });
    assert.ok(page.entries.every((e) => e.outcome === 'failed'));
  });

  it('limits to a date range, both ends inclusive', async () => {
    const since = new Date(T0 + 10 * 7 * 60_000);
    const until = new Date(T0 + 30 * 7 * 60_000);
    const found = await allPages(log, { mailboxes, since, until, limit: 7 });
    const inRange = (e: MailLogDraft) => {
      const at = Date.parse(e.receivedAt ?? '');
      return at >= since.getTime() && at <= until.getTime();
    };
    sameSet(found.ids, expected(entries, inRange));
    assert.equal(found.ids.length, 42, 'two mails per 7-minute step, steps 10..30');
    assertNewestFirst(entries, found.ids);
  });

  it('searches subject and sender text case-insensitively within a scan budget, continuing where it stopped', async () => {
    const text = await allPages(log, { mailboxes, text: 'PRINTER problem number 1', scanLimit: 30, limit: 10 });
    // "number 1" also matches 1x and 1xx; the brute force above says which of those exist.
    sameSet(
      text.ids,
      expected(entries, (e) => (e.subject ?? '').toLowerCase().includes('printer problem number 1')),
    );
    assert.ok(text.ids.length > 5);
    assertNewestFirst(entries, text.ids);
    assert.ok(text.pages > 3, 'a small scan budget makes several requests');
    const first = await log.search({ mailboxes, text: 'fabrikam', scanLimit: 40, limit: 20 });
    assert.ok(first.scanned <= 40, `at most the budget (${first.scanned})`);
    assert.ok(first.next, 'more to search');
    assert.ok(first.entries.every((e) => e.from === 'ops@fabrikam.com'));
  });

  it('combines criteria', async () => {
    const found = await allPages(log, {
      mailboxes: ['support'],
      from: 'contoso.com',
      outcome: 'created',
      text: 'mailbox',
    });
    sameSet(
      found.ids,
      expected(
        entries,
        (e) =>
          e.mailbox === 'support' &&
          e.from?.endsWith('contoso.com') === true &&
          e.fate.startsWith('ticket') &&
          (e.subject ?? '').includes('Mailbox'),
      ),
    );
  });

  it('walks day partitions a few at a time for criteria that match many rows, and misses none', async () => {
    const failed = await allPages(log, { mailboxes: ['archive'], outcome: 'failed', limit: 50 });
    sameSet(
      failed.ids,
      expected(archive, (e) => e.fate.startsWith('failed')),
    );
    assert.ok(failed.pages >= 3, `20 days at 7 days per request: ${failed.pages} requests`);
    const all = await allPages(log, { mailboxes: ['archive'], limit: 4 });
    sameSet(
      all.ids,
      expected(archive, () => true),
    );
    assertNewestFirst(archive, all.ids);
    const since = new Date(T0 - 5 * DAY);
    const recent = await allPages(log, { mailboxes: ['archive'], since, limit: 3 });
    sameSet(
      recent.ids,
      expected(archive, (e) => Date.parse(e.receivedAt ?? '') >= since.getTime()),
    );
  });

  it('rewrites a mail in place: one row per message, found by id with or without its received time', async () => {
    const store = mailLogStore(connection, { now: () => new Date(T0 + 2 * DAY) });
    const draft = { mailbox: 'rewrite', messageId: 'AAMk-re', fate: 'failed: Halo said 503', from: 'a@b.com' };
    await store.upsert(draft);
    await store.upsert({ ...draft, fate: 'ticket 77 created', ticketId: 77 });
    assert.equal((await store.list('rewrite')).length, 1, 'one row for the message');
    const [only] = (await store.search({ mailboxes: ['rewrite'] })).entries;
    assert.equal(only?.fate, 'ticket 77 created');
    assert.equal(only?.outcome, 'created');
    assert.equal((await store.get('rewrite', 'AAMk-re'))?.ticketId, 77);

    const received = '2025-03-02T08:00:00Z';
    const second = { ...draft, messageId: 'AAMk-r2', receivedAt: received };
    await store.upsert(second);
    await store.upsert({ ...second, fate: 'appended to 5', ticketId: 5 });
    assert.equal((await store.list('rewrite')).length, 2);
    assert.equal((await store.get('rewrite', 'AAMk-r2', received))?.fate, 'appended to 5', 'a point read');
    assert.equal((await store.get('rewrite', 'AAMk-r2'))?.ticketId, 5, 'a search by id');
    const rows = await entityTable(connection, TABLES.mailLog).list(undefined, { filter: "mailbox eq 'rewrite'" });
    assert.ok(
      rows.every((row) => /^d\d{5}$/.test(row.partitionKey)),
      'day partitions',
    );
  });

  it('refuses to import an entry without a received time', async () => {
    await assert.rejects(log.importNew([{ mailbox: 'x', messageId: 'm', fate: 'created' }]), /m has no receivedAt/);
  });

  it('reads the outcome from the fate text', () => {
    assert.equal(fateOutcome('ticket 1005 created'), 'created');
    assert.equal(fateOutcome('ticket created'), 'created');
    assert.equal(fateOutcome('appended to 1001 (2 attachment(s) copied)'), 'appended');
    assert.equal(fateOutcome('ignored by rule loop: sent by us'), 'ignored');
    assert.equal(fateOutcome('failed: Halo refused the ticket'), 'failed');
    assert.equal(fateOutcome('deferred'), 'other');
  });
});
