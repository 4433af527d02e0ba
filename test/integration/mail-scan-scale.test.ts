import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { mailboxScanQueue, scanMailbox, scanRunKind } from '../../shared/mail/useCases';
import { loadMailboxState } from '../../shared/mail/useCases/mailboxState';
import { SUPPORT, ticketsWithSummary, uniqueSubject } from './mail-helpers';

const PAGE = 10;

describe('mail scan at scale: big inboxes, bursts, interruptions, overlaps', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      queues: { visibilityTimeout: '00:00:01' },
      settings: { MAIL_SCAN_PAGE_SIZE: String(PAGE) },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  const graphRequests = () => stack.container.graph!.stats();
  // Bursts of mail take a while on a busy machine (several table writes per message): generous drains.
  const scanNow = async () => {
    await stack.runner.runTimer('mailScanTimer');
    await stack.runner.drain({ timeoutMs: 180_000 });
  };
  const deliver = (count: number, subject: string, extra: { receivedDateTime?: string } = {}) =>
    Array.from({ length: count }, (_, i) =>
      stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: `${subject} ${i}`, ...extra }),
    );
  const moveRequestsFor = (ids: readonly string[]) =>
    stack.graph.requests().filter((r) => r.route === 'messages.move' && ids.some((id) => r.path.includes(id))).length;

  it('the first scan of a mailbox holding 1,000 old messages (startFrom now) costs one Graph request', async () => {
    deliver(1000, 'Old mail', { receivedDateTime: new Date(Date.now() - 86_400_000).toISOString() });
    stack.container.graph!.resetStats();
    await scanNow();
    const used = graphRequests();
    // Before: the baseline walked the whole inbox, 10 messages (bodies included) per request: 101 requests here.
    assert.equal(used.total, 1, JSON.stringify(used.byKind));
    assert.equal(ticketsWithSummary(stack, 'Old mail 0').length, 0);
    const { state } = await loadMailboxState(stack.container.stores.checkpoints, 'support');
    assert.ok(state.deltaLink, 'the baseline round finished with a deltaLink');
    assert.equal(state.round, undefined);
    stack.container.graph!.resetStats();
    await scanNow();
    assert.equal(graphRequests().total, 1, 'an idle scan afterwards: one request too');
  });

  it('a burst of 25 new mails: one ticket each, the moves of a page sent together through $batch', async () => {
    const subject = uniqueSubject('Burst');
    const ids = deliver(5, subject);
    await scanNow(); // the processed folder is looked up once and cached
    stack.container.graph!.resetStats();
    const more = deliver(25, `${subject} again`);
    await scanNow();
    for (let i = 0; i < 25; i++) assert.equal(ticketsWithSummary(stack, `${subject} again ${i}`).length, 1);
    const used = graphRequests();
    assert.equal(used.byKind['users/messages/move'] ?? 0, 0, 'no move sent on its own');
    // Pages of 10 (the round also lists the 5 mails the last scan moved out, as @removed), each page's moves in one
    // $batch: 6 requests for 25 mails, where the scan used to send 3 pages and 25 single moves.
    const pages = used.byKind['users/mailFolders/inbox/messages/delta'] ?? 0;
    assert.ok(pages <= 3 && (used.byKind.$batch ?? 0) <= pages, JSON.stringify(used.byKind));
    assert.ok(used.total <= 6, JSON.stringify(used.byKind));
    assert.equal(moveRequestsFor([...ids, ...more]), 30, 'every message moved exactly once');
  });

  it('an interrupted scan resumes at the page it stopped on, reading nothing twice', async () => {
    await scanNow(); // reads the @removed entries the last burst's moves left in the delta
    const subject = uniqueSubject('Interrupted');
    deliver(20, subject);
    // The connection drops on the round's second page: the first page's 10 mails are done by then.
    // Twice: a GET whose connection drops is sent once more before the scan gives up.
    stack.graph.faults.add({ path: 'skiptoken', times: 2, effect: { kind: 'drop' } });
    await scanNow();
    const runs = await stack.container.stores.runs.list(scanRunKind('support'), { top: 3 });
    const failed = runs[0];
    assert.equal(failed?.status, 'failed', JSON.stringify(runs));
    assert.equal(failed?.counts.created, PAGE, JSON.stringify(runs));
    const { state } = await loadMailboxState(stack.container.stores.checkpoints, 'support');
    assert.match(state.round?.link ?? '', /skiptoken/, 'the round was saved at the page it stopped on');
    const firstPagesBefore = stack.graph.requests().filter((r) => r.route === 'messages.delta').length;
    await scanNow();
    const deltaRequests = stack.graph
      .requests()
      .filter((r) => r.route === 'messages.delta')
      .slice(firstPagesBefore);
    assert.ok(
      deltaRequests.every((r) => r.path.includes('skiptoken')),
      'resumed from the saved link, not from the start',
    );
    for (let i = 0; i < 20; i++) assert.equal(ticketsWithSummary(stack, `${subject} ${i}`).length, 1, `mail ${i}`);
  });

  it('a scan stops at its time budget, saves its place and queues its continuation, which finishes', async () => {
    await scanNow();
    const subject = uniqueSubject('Budget');
    deliver(15, subject);
    // A clock that moves one second per reading: the 5-second budget runs out part-way through the round.
    let reading = Date.now();
    const deps = {
      ...stack.container,
      now: () => {
        reading += 1000;
        return new Date(reading);
      },
      settings: { ...stack.container.settings, MAIL_SCAN_BUDGET_SECONDS: 5 },
    };
    const report = await scanMailbox(deps, 'support');
    assert.equal(report.continued, true, JSON.stringify(report.counts));
    assert.ok((report.counts.messages ?? 0) < 15, 'stopped before the end');
    const { state } = await loadMailboxState(stack.container.stores.checkpoints, 'support');
    assert.ok(state.round, 'the unfinished round is saved');
    await stack.runner.drain({ timeoutMs: 180_000 });
    for (let i = 0; i < 15; i++) assert.equal(ticketsWithSummary(stack, `${subject} ${i}`).length, 1, `mail ${i}`);
    const after = await loadMailboxState(stack.container.stores.checkpoints, 'support');
    assert.equal(after.state.round, undefined, 'the continuation finished the round');
  });

  it('overlapping scans of one mailbox never repeat a move: the extra triggers coalesce', async () => {
    const subject = uniqueSubject('Overlap');
    const ids = deliver(20, subject);
    const queue = mailboxScanQueue(stack.container.storage);
    // Sent straight to the queue (past the coalescing marker), so that several scans really start together.
    await Promise.all(Array.from({ length: 4 }, () => queue.send({ mailboxId: 'support', reason: 'notification' })));
    await stack.runner.drain({ timeoutMs: 180_000 });
    await scanNow();
    for (let i = 0; i < 20; i++) assert.equal(ticketsWithSummary(stack, `${subject} ${i}`).length, 1);
    assert.equal(moveRequestsFor(ids), 20, 'each message moved once');
  });
});
