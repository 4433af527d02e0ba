import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { mailboxScanQueue, scanRunKind } from '../../shared/mail/useCases';
import { attachmentNames, folderOf, SUPPORT, scanNow, ticketsWithSummary, uniqueSubject } from './mail-helpers';

describe('mail scan: mailbox to tickets', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ queues: { visibilityTimeout: '00:00:01' } });
    // The first scan records the baseline (startFrom now): the two demo messages already there are never imported.
    await scanNow(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  it('startFrom now: the first scan imports nothing that was already in the inbox', async () => {
    assert.equal(ticketsWithSummary(stack, 'Printer on 2nd floor jammed again').length, 0);
    assert.equal(ticketsWithSummary(stack, 'Newsletter: November').length, 0);
    const runs = await stack.container.stores.runs.list(scanRunKind('support'));
    assert.equal(runs.at(-1)?.summary && (runs.at(-1)!.summary as { mode: string }).mode, 'baseline');
    assert.equal(runs.at(-1)?.counts.messages, 0, 'the baseline round only lists mail received from now on');
  });

  it('an idle scan costs one Graph request (the delta call)', async () => {
    await scanNow(stack);
    stack.container.graph!.resetStats();
    const before = stack.graph.counters();
    await scanNow(stack);
    const after = stack.graph.counters();
    const delta = Object.entries(after).reduce((n, [k, v]) => n + v - (before[k] ?? 0), 0);
    assert.equal(delta, 1, JSON.stringify({ before, after }));
    assert.equal((after['messages.delta'] ?? 0) - (before['messages.delta'] ?? 0), 1);
    const runsBefore = await stack.container.stores.runs.list(scanRunKind('support'));
    await scanNow(stack);
    const runsAfter = await stack.container.stores.runs.list(scanRunKind('support'));
    assert.equal(runsAfter.length, runsBefore.length, 'consecutive idle scans share one run row');
    const idleScans = (runs: typeof runsAfter) =>
      (runs[0]?.summary as { idleScans?: number } | undefined)?.idleScans ?? 0;
    assert.ok(idleScans(runsBefore) >= 1);
    assert.equal(idleScans(runsAfter), idleScans(runsBefore) + 1);
  });

  it('a new mail from a Halo user becomes exactly one ticket for that user, and the mail moves to processed', async () => {
    const subject = uniqueSubject('Printer on fire');
    const id = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      fromName: 'Megan Bowen',
      subject,
      body: 'Smoke everywhere',
    });
    await scanNow(stack);
    await scanNow(stack);
    const tickets = ticketsWithSummary(stack, subject);
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.user_id, 201);
    assert.equal(folderOf(stack, id), 'Processed by Halo');
    const log = await stack.container.stores.mailLog.get('support', id);
    assert.equal(log?.fate, `ticket ${tickets[0]!.id} created`);
  });

  it('the same mail delivered twice (same Message-ID) makes one ticket; the copy is logged as a duplicate', async () => {
    const subject = uniqueSubject('VPN down');
    const internetMessageId = `<${subject.replace(/\W/g, '')}@contoso.com>`;
    const first = stack.graph.deliverMail(SUPPORT, { from: 'alex.wilber@contoso.com', subject, internetMessageId });
    await scanNow(stack);
    const second = stack.graph.deliverMail(SUPPORT, { from: 'alex.wilber@contoso.com', subject, internetMessageId });
    await scanNow(stack);
    assert.equal(ticketsWithSummary(stack, subject).length, 1);
    assert.equal(folderOf(stack, first), 'Processed by Halo');
    assert.equal(folderOf(stack, second), 'Processed by Halo');
    const log = await stack.container.stores.mailLog.get('support', second);
    assert.match(log?.fate ?? '', /duplicate/);
  });

  it('a notification-triggered scan racing the timer scan still makes one ticket', async () => {
    const subject = uniqueSubject('Race');
    stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
    const queue = mailboxScanQueue(stack.container.storage);
    // Sent directly (not through the coalescing marker) so that three scans really run at the same time.
    await Promise.all([
      queue.send({ mailboxId: 'support', reason: 'notification' }),
      queue.send({ mailboxId: 'support', reason: 'notification' }),
      stack.runner.runTimer('mailScanTimer'),
    ]);
    await stack.runner.drain({ timeoutMs: 30_000 });
    await scanNow(stack);
    assert.equal(ticketsWithSummary(stack, subject).length, 1);
  });

  it('a crash between creating the ticket and moving the mail: the retry moves it, still one ticket', async () => {
    const subject = uniqueSubject('Crash after create');
    const id = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
    stack.graph.faults.add({ path: '/move', method: 'POST', times: 1, effect: { kind: 'status', status: 500 } });
    const failures: string[] = [];
    const stop = stack.runner.onInvocation((r) => {
      if (r.functionName === 'mailboxScan' && r.outcome === 'failure') failures.push(r.error ?? '');
    });
    await scanNow(stack);
    stop();
    assert.equal(failures.length, 1, 'the first attempt failed after the ticket was created');
    assert.equal(ticketsWithSummary(stack, subject).length, 1);
    assert.equal(folderOf(stack, id), 'Processed by Halo');
    const log = await stack.container.stores.mailLog.get('support', id);
    assert.match(log?.fate ?? '', /^ticket \d+ created$/);
  });

  it('a reply tagged [ID:1001] is appended to ticket 1001 as an action, not a new ticket', async () => {
    const before = stack.halo.store.actions.filter((a) => a.ticket_id === 1001).length;
    const id = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject: 'RE: Mailbox full [ID:1001]',
      body: 'Still full, please help',
    });
    await scanNow(stack);
    const actions = stack.halo.store.actions.filter((a) => a.ticket_id === 1001);
    assert.equal(actions.length, before + 1);
    assert.match(String(actions.at(-1)!.note_html ?? actions.at(-1)!.note), /Still full/);
    assert.equal(ticketsWithSummary(stack, 'RE: Mailbox full').length, 0);
    assert.equal((await stack.container.stores.mailLog.get('support', id))?.fate, 'appended to 1001');
  });

  it('ignore rules end to end: an auto-reply and mail from our own mailbox make no ticket', async () => {
    const auto = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject: uniqueSubject('Out of office'),
      internetMessageHeaders: [{ name: 'Auto-Submitted', value: 'auto-replied' }],
    });
    const loop = stack.graph.deliverMail(SUPPORT, { from: SUPPORT, subject: uniqueSubject('Loop') });
    const ticketsBefore = stack.halo.store.tables.tickets.size;
    await scanNow(stack);
    assert.equal(stack.halo.store.tables.tickets.size, ticketsBefore);
    assert.match((await stack.container.stores.mailLog.get('support', auto))?.fate ?? '', /ignored by rule autoReply/);
    assert.match((await stack.container.stores.mailLog.get('support', loop))?.fate ?? '', /ignored by rule loop/);
    assert.equal(folderOf(stack, auto), 'Processed by Halo');
    assert.equal(folderOf(stack, loop), 'Processed by Halo');
  });

  it('attachments are copied onto the new ticket', async () => {
    const subject = uniqueSubject('Screenshot attached');
    stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject,
      attachments: [
        { name: 'error.txt', contentType: 'text/plain', contentBase64: Buffer.from('boom').toString('base64') },
      ],
    });
    await scanNow(stack);
    const [ticket] = ticketsWithSummary(stack, subject);
    assert.ok(ticket);
    assert.deepEqual(attachmentNames(stack, ticket.id), ['error.txt']);
  });

  it('delta token expiry: the scan falls back to a time window, imports the new mail once and nothing old', async () => {
    const subject = uniqueSubject('After expiry');
    const ticketsBefore = stack.halo.store.tables.tickets.size;
    stack.graph.expireDeltaTokens();
    stack.graph.deliverMail(SUPPORT, { from: 'alex.wilber@contoso.com', subject });
    await scanNow(stack);
    await scanNow(stack);
    assert.equal(ticketsWithSummary(stack, subject).length, 1);
    assert.equal(stack.halo.store.tables.tickets.size, ticketsBefore + 1, 'nothing old re-imported');
    assert.equal(ticketsWithSummary(stack, 'Printer on 2nd floor jammed again').length, 0);
    const runs = await stack.container.stores.runs.list(scanRunKind('support'), { top: 5 });
    assert.ok(runs.some((r) => (r.summary as { mode?: string }).mode === 'window'));
  });

  it('a missing permission shows as a plain-words failed run, and the next scan recovers', async () => {
    stack.graph.faults.add({
      path: '/messages/delta',
      times: 1,
      effect: {
        kind: 'status',
        status: 403,
        code: 'ErrorAccessDenied',
        message: 'Access is denied. Check credentials and try again.',
      },
    });
    await scanNow(stack);
    const [failed] = await stack.container.stores.runs.list(scanRunKind('support'), { top: 1 });
    assert.equal(failed?.status, 'failed');
    assert.match(failed?.error ?? '', /Mail\.ReadWrite/);
    assert.doesNotMatch(failed?.error ?? '', /\bat .*\.ts:\d+/, 'no stack trace');
    await scanNow(stack);
    const [next] = await stack.container.stores.runs.list(scanRunKind('support'), { top: 1 });
    assert.equal(next?.status, 'succeeded');
  });
});
