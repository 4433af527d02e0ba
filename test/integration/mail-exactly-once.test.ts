import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { scanRunKind } from '../../shared/mail/useCases';
import { attachmentNames, folderOf, SUPPORT, ticketsWithSummary, uniqueSubject } from './mail-helpers';

const CLAIM_STALE_SECONDS = 1;

/** One timer scan and its queue, with room for a loaded machine. */
async function scanNow(stack: Stack): Promise<void> {
  await stack.runner.runTimer('mailScanTimer');
  await stack.runner.drain({ timeoutMs: 120_000 });
}

describe('mail: every Halo write exactly once when answers are lost', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      queues: { visibilityTimeout: '00:00:01' },
      settings: { HALO_LOOKUP_SETTLE_MS: '10' },
      config: (demo) => ({
        ...demo,
        mailboxes: (demo.mailboxes as Record<string, unknown>[]).map((m) => ({
          ...m,
          claimStaleSeconds: CLAIM_STALE_SECONDS,
        })),
      }),
    });
    await scanNow(stack);
  });
  after(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack.halo.faults.clear();
  });

  const posts = (path: string) =>
    stack.halo.requests().filter((r) => r.method === 'POST' && r.path.toLowerCase() === path.toLowerCase()).length;
  const latestRun = async () => (await stack.container.stores.runs.list(scanRunKind('support'), { top: 1 }))[0];
  const actionsWith = (ticketId: number, messageId: string) =>
    stack.halo.store.actions.filter((a) => a.ticket_id === ticketId && a.email_message_id === messageId);

  it('a ticket whose answer was lost is found in Halo, not created twice', async () => {
    const subject = uniqueSubject('Lost answer');
    const id = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
    stack.halo.faults.add({
      method: 'POST',
      path: '^/api/Tickets$',
      times: 1,
      effect: { kind: 'lostAnswer', answer: 504 },
    });
    const before = posts('/api/Tickets');
    await scanNow(stack);
    const tickets = ticketsWithSummary(stack, subject);
    assert.equal(tickets.length, 1);
    assert.equal(posts('/api/Tickets') - before, 1, 'never re-sent');
    assert.equal(folderOf(stack, id), 'Processed by Halo');
    assert.equal((await stack.container.stores.mailLog.get('support', id))?.fate, `ticket ${tickets[0]!.id} created`);
  });

  it('a write still in doubt after looking shows as recovering with its age, then a later scan finds it', async () => {
    const subject = uniqueSubject('In doubt');
    const id = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
    stack.halo.faults.add({ method: 'POST', path: '^/api/Tickets$', times: 1, effect: { kind: 'lostAnswer' } });
    // The look-up is refused too: the outcome stays unknown.
    stack.halo.faults.add({ method: 'GET', path: '^/api/Tickets\\?', effect: { kind: 'status', status: 400 } });
    await scanNow(stack);
    assert.equal(ticketsWithSummary(stack, subject).length, 1, 'Halo made the ticket');
    const run = await latestRun();
    assert.equal(run?.status, 'recovering');
    assert.equal(run?.counts.recovering, 1);
    const fate = (await stack.container.stores.mailLog.get('support', id))?.fate ?? '';
    assert.match(fate, /^recovering for 0 s: creating its ticket was interrupted/);
    assert.equal(folderOf(stack, id), 'Inbox');

    stack.halo.faults.clear();
    const postsBefore = posts('/api/Tickets');
    // Scans before and after the claim goes stale: none sends the ticket again; the takeover looks first.
    await scanNow(stack);
    await new Promise((resolve) => setTimeout(resolve, CLAIM_STALE_SECONDS * 1000 + 200));
    await scanNow(stack);
    const tickets = ticketsWithSummary(stack, subject);
    assert.equal(tickets.length, 1, 'found, not created again');
    assert.equal(posts('/api/Tickets'), postsBefore);
    assert.equal(folderOf(stack, id), 'Processed by Halo');
    assert.equal((await stack.container.stores.mailLog.get('support', id))?.fate, `ticket ${tickets[0]!.id} created`);
    assert.equal((await latestRun())?.status, 'succeeded');
  });

  it('a reply whose append was lost is found by its Message-ID, not appended twice', async () => {
    const subject = `RE: Mailbox full [ID:1001] ${uniqueSubject('reply')}`;
    const internetMessageId = `<${Date.now().toString(36)}.reply@contoso.com>`;
    const id = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject, internetMessageId });
    stack.halo.faults.add({
      method: 'POST',
      path: '^/api/Actions$',
      times: 1,
      effect: { kind: 'lostAnswer', answer: 'drop' },
    });
    await scanNow(stack);
    assert.equal(actionsWith(1001, internetMessageId).length, 1);
    assert.equal(folderOf(stack, id), 'Processed by Halo');
  });

  it('attachments whose answer was lost are looked up, not attached twice', async () => {
    const subject = uniqueSubject('With attachment');
    stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject,
      attachments: [
        { name: 'log.txt', contentType: 'text/plain', contentBase64: Buffer.from('hello').toString('base64') },
      ],
    });
    stack.halo.faults.add({ method: 'POST', path: '^/api/Attachment$', times: 1, effect: { kind: 'lostAnswer' } });
    await scanNow(stack);
    const [ticket] = ticketsWithSummary(stack, subject);
    assert.ok(ticket);
    assert.deepEqual(attachmentNames(stack, ticket.id), ['log.txt']);
  });

  it('12 mails under 20% lost answers and drops on every Halo write: 8 tickets and 4 replies, none twice', async () => {
    stack.halo.faults.load({
      seed: 909,
      rules: [
        { method: 'POST', path: '^/api/(Tickets|Actions)$', probability: 0.2, effect: { kind: 'lostAnswer' } },
        { method: 'POST', path: '^/api/(Tickets|Actions)$', probability: 0.1, effect: { kind: 'drop' } },
      ],
    });
    const subjects = Array.from({ length: 8 }, () => uniqueSubject('Burst'));
    for (const subject of subjects) stack.graph.deliverMail(SUPPORT, { from: 'alex.wilber@contoso.com', subject });
    const replies = Array.from({ length: 4 }, (_, i) => `<burst-reply-${i}-${Date.now().toString(36)}@contoso.com>`);
    for (const [i, internetMessageId] of replies.entries()) {
      stack.graph.deliverMail(SUPPORT, {
        from: 'megan.bowen@contoso.com',
        subject: `RE: [ID:1002] burst ${i}`,
        internetMessageId,
      });
    }
    // Enough scans for in-doubt messages to go stale and be taken over.
    for (let round = 0; round < 6; round++) {
      await scanNow(stack);
      const done = subjects.every((s) => ticketsWithSummary(stack, s).length > 0);
      if (done && replies.every((r) => actionsWith(1002, r).length > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, CLAIM_STALE_SECONDS * 1000));
    }
    stack.halo.faults.clear();
    await scanNow(stack);
    for (const subject of subjects) assert.equal(ticketsWithSummary(stack, subject).length, 1, subject);
    for (const reply of replies) assert.equal(actionsWith(1002, reply).length, 1, reply);
    assert.ok(stack.halo.counters().faults > 0, 'faults were injected');
  });
});
