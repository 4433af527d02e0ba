import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { scanRunKind } from '../../shared/mail/useCases';
import { loadMailboxState } from '../../shared/mail/useCases/mailboxState';
import { encodeQueueText, QUEUES, rawQueue } from '../../shared/storage';
import { folderOf, SUPPORT, scanNow, ticketsWithSummary, uniqueSubject } from './mail-helpers';

describe('mail scan: Graph input as it really comes, and scan messages that cannot be run', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ queues: { visibilityTimeout: '00:00:01' } });
    await scanNow(stack); // baseline
  });
  after(async () => {
    await stack?.stop();
  });

  const latestRun = async () => (await stack.container.stores.runs.list(scanRunKind('support'), { top: 1 }))[0];

  it('a partial delta item is fetched in full before it is classified: a ticket for its sender, not "no sender"', async () => {
    stack.graph.partialDeltaMessages('all');
    try {
      const subject = uniqueSubject('Partial in delta');
      const id = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject, body: 'Printer jam' });
      await scanNow(stack);
      const tickets = ticketsWithSummary(stack, subject);
      assert.equal(tickets.length, 1);
      assert.equal(tickets[0]!.user_id, 201, "the sender's Halo user, read from the full message");
      assert.equal(folderOf(stack, id), 'Processed by Halo');
      const run = await latestRun();
      assert.equal(run?.counts.partialFetched, 1);
      const gets = stack.graph.requests().filter((r) => r.scope === 'batch' && r.route === 'messages.get');
      assert.ok(
        gets.some((r) => r.path.includes(id)),
        'fetched through $batch',
      );
    } finally {
      stack.graph.partialDeltaMessages('updates');
    }
  });

  it('one malformed message does not stop the mailbox: it is recorded, moved to the failed folder, the rest go on', async () => {
    const subject = uniqueSubject('Mixed page');
    const before = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: `${subject} 1` });
    const bad = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject: `${subject} 2`,
      overrides: { from: 'megan.bowen@contoso.com', body: 42 },
    });
    const stringly = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject: `${subject} 3`,
      overrides: { hasAttachments: 'false', isRead: 'true' },
    });
    const after = stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: `${subject} 4` });
    await scanNow(stack);
    for (const n of [1, 3, 4]) assert.equal(ticketsWithSummary(stack, `${subject} ${n}`).length, 1, `mail ${n}`);
    assert.equal(ticketsWithSummary(stack, `${subject} 2`).length, 0);
    assert.equal(folderOf(stack, bad), 'Failed to process');
    for (const id of [before, stringly, after]) assert.equal(folderOf(stack, id), 'Processed by Halo');
    const log = await stack.container.stores.mailLog.get('support', bad);
    assert.match(log?.fate ?? '', /unreadable message.*\$\.from.*\$\.body/);
    const run = await latestRun();
    assert.equal(run?.counts.unreadable, 1);
    assert.equal(run?.status, 'succeeded');
    const { state } = await loadMailboxState(stack.container.stores.checkpoints, 'support');
    assert.equal(state.round, undefined, 'the round finished: the deltaLink advanced past the bad message');
  });

  it('an item without an id is skipped and named in the run; the scan goes on', async () => {
    const subject = uniqueSubject('No id');
    stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      subject: `${subject} 1`,
      overrides: { id: null },
    });
    stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: `${subject} 2` });
    await scanNow(stack);
    assert.equal(ticketsWithSummary(stack, `${subject} 2`).length, 1);
    const run = await latestRun();
    assert.equal(run?.counts.unreadable, 1);
    const fates = (run?.summary as { fates?: { fate: string }[] } | undefined)?.fates ?? [];
    assert.ok(
      fates.some((f) => /skipped: unreadable delta item #\d+: id: missing/.test(f.fate)),
      JSON.stringify(fates),
    );
  });

  it('a malformed mailbox-scan message is rejected at once and recorded, never retried', async () => {
    const attempts: string[] = [];
    const stop = stack.runner.onInvocation((r) => {
      if (r.functionName === 'mailboxScan') attempts.push(r.outcome);
    });
    await rawQueue(stack.container.storage, QUEUES.mailboxScan).sendText(
      encodeQueueText(JSON.stringify({ mailboxId: 42, reason: 'whenever' })),
    );
    await stack.runner.drain({ timeoutMs: 30_000 });
    stop();
    assert.deepEqual(attempts, ['success'], 'handled once, not retried five times');
    const failure = await failureShowing(stack, 'whenever');
    assert.match(failure?.reason ?? '', /'mailbox-scan' is invalid.*mailboxId.*reason/s);
    assert.match(failure?.preview ?? '', /whenever/);
  });

  it('a scan message naming a mailbox the config does not have is recorded, not dropped silently', async () => {
    await rawQueue(stack.container.storage, QUEUES.mailboxScan).sendText(
      encodeQueueText(JSON.stringify({ mailboxId: 'removed-desk', reason: 'notification' })),
    );
    await stack.runner.drain({ timeoutMs: 30_000 });
    const failure = await failureShowing(stack, 'removed-desk');
    assert.match(failure?.reason ?? '', /mailbox "removed-desk" is not configured/);
  });
});

/**
 * The mailbox-scan failure whose preview shows `text`. Records are newest first by the queue's insertion time, which
 * has whole seconds only, so two failures of one second may come in either order.
 */
async function failureShowing(stack: Stack, text: string) {
  const failures = await stack.container.stores.queueFailures.list(QUEUES.mailboxScan, { top: 20 });
  return failures.find((f) => f.preview.includes(text));
}
