import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { mailboxScanQueue, sendAgentReplyForEvent } from '../../shared/mail/useCases';
import {
  actionAddedEvent,
  MSP_TENANT,
  SUPPORT,
  scanNow,
  settle,
  ticketsWithSummary,
  uniqueSubject,
} from './mail-helpers';

const CONTOSO_TENANT = '11111111-1111-4111-8111-111111111111';

describe('mail: Graph notifications, subscriptions and agent replies', () => {
  let stack: Stack;
  let url: string;
  before(async () => {
    stack = await startStack({
      queues: { visibilityTimeout: '00:00:01' },
      config: (demo) => ({
        ...demo,
        mailboxes: [
          ...(demo.mailboxes as unknown[]),
          {
            id: 'contoso-desk',
            tenantId: CONTOSO_TENANT,
            address: 'adele.vance@contoso.com',
            ticket: { ticketTypeId: 1, fallbackClientId: 11 },
          },
        ],
      }),
    });
    url = stack.runner.url;
    await scanNow(stack); // baselines (startFrom now)
  });
  after(async () => {
    await stack?.stop();
  });

  const subscriptionOf = async (mailboxId: string) => {
    const [record] = await stack.container.stores.subscriptions.listForMailbox(mailboxId);
    assert.ok(record, `a subscription for ${mailboxId}`);
    return record;
  };
  const post = (path: string, body: unknown) =>
    fetch(`${url}/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const pendingScans = () => mailboxScanQueue(stack.container.storage).peekCount();

  it('the maintenance timer subscribes each mailbox, passing the validation handshake', async () => {
    await stack.runner.runTimer('graphSubscriptions');
    assert.equal(stack.graph.subscriptions().length, 2);
    const validations = stack.graph.deliveries().filter((d) => d.kind === 'validation');
    assert.equal(validations.length, 4, 'notification and lifecycle URL of each subscription');
    assert.ok(validations.every((d) => d.status === 200));
    const support = await subscriptionOf('support');
    assert.equal(stack.graph.subscriptions().find((s) => s.id === support.id)?.clientState, support.clientState);
    await stack.runner.runTimer('graphSubscriptions');
    assert.equal(stack.graph.subscriptions().length, 2, 'a second run changes nothing');
  });

  it('a new mail is picked up through its change notification, without the timer', async () => {
    const subject = uniqueSubject('Notified');
    stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
    await settle(stack);
    assert.equal(ticketsWithSummary(stack, subject).length, 1);
    const notified = stack.graph.deliveries().filter((d) => d.kind === 'notification');
    assert.ok(notified.length >= 1 && notified.every((d) => d.status === 202));
  });

  it('a batch naming two mailboxes several times queues one scan per mailbox', async () => {
    const support = await subscriptionOf('support');
    const contoso = await subscriptionOf('contoso-desk');
    const item = (s: typeof support) => ({ subscriptionId: s.id, clientState: s.clientState, changeType: 'created' });
    const response = await post('graph/notifications', { value: [item(support), item(contoso), item(support)] });
    assert.equal(response.status, 202);
    assert.equal(await pendingScans(), 2);
    await stack.runner.drain({ timeoutMs: 30_000 });
  });

  it('a wrong clientState or an unknown subscription queues nothing', async () => {
    const support = await subscriptionOf('support');
    const response = await post('graph/notifications', {
      value: [
        { subscriptionId: support.id, clientState: 'wrong', changeType: 'created' },
        { subscriptionId: randomUUID(), clientState: support.clientState, changeType: 'created' },
      ],
    });
    assert.equal(response.status, 202);
    assert.equal(await pendingScans(), 0);
  });

  it('a body that is not {"value": [...]} is refused with the path of the problem', async () => {
    const response = await post('graph/notifications', { value: { clientState: 'x' } });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(await response.json()), /\$\.value/);
  });

  it('one POST mixing good, malformed and lifecycle items (seen-in-the-wild shape): 202, every good item acts', async () => {
    const support = await subscriptionOf('support');
    const contoso = await subscriptionOf('contoso-desk');
    const response = await post('graph/notifications', {
      value: [
        { subscriptionId: support.id, clientState: support.clientState, changeType: 'created' },
        { subscriptionId: support.id, clientState: support.clientState },
        42,
        {
          lifecycleEvent: 'missed',
          subscriptionId: contoso.id,
          resource: '',
          clientState: contoso.clientState,
          sequence: null,
          encryptedContent: null,
          organizationId: CONTOSO_TENANT,
        },
      ],
      validationTokens: [],
    });
    // Before: one bad item made the whole delivery a 400 (and Graph sent it again and again).
    assert.equal(response.status, 202);
    assert.equal(await pendingScans(), 2, 'support (change) and contoso-desk (missed)');
    await stack.runner.drain({ timeoutMs: 30_000 });
  });

  it('Graph sends what it has together: mail for two tenants arrives in one POST, and both become tickets', async () => {
    const subject = uniqueSubject('Same tick');
    stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: `${subject} A` });
    stack.graph.deliverMail('adele.vance@contoso.com', { from: 'megan.bowen@contoso.com', subject: `${subject} B` });
    await settle(stack);
    const delivery = stack.graph
      .deliveries()
      .filter((d) => d.kind === 'notification')
      .at(-1)!;
    const items = (delivery.payload as { value: { tenantId: string }[] }).value;
    assert.deepEqual(new Set(items.map((i) => i.tenantId)), new Set([MSP_TENANT, CONTOSO_TENANT]));
    assert.equal(delivery.status, 202);
    assert.equal(ticketsWithSummary(stack, `${subject} A`).length, 1);
    assert.equal(ticketsWithSummary(stack, `${subject} B`).length, 1);
  });

  it('lifecycle events in the seen-in-the-wild shape, sent to the notification URL, are handled', async () => {
    const support = await subscriptionOf('support');
    const before = stack.graph.counters()['subscriptions.reauthorize'] ?? 0;
    assert.ok(
      stack.graph.triggerLifecycle(support.id, 'reauthorizationRequired', {
        shape: 'observed',
        via: 'notificationUrl',
      }),
    );
    await settle(stack);
    assert.equal(stack.graph.deliveries().at(-1)?.status, 202);
    assert.equal((stack.graph.counters()['subscriptions.reauthorize'] ?? 0) - before, 1);
  });

  it('refuses a body over 1 MB with 413 on both endpoints, queueing nothing', async () => {
    for (const path of ['graph/notifications', 'graph/lifecycle']) {
      const response = await fetch(`${url}/api/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"value": ["${'x'.repeat(1_000_000)}"]}`,
      });
      assert.equal(response.status, 413, path);
      assert.match(((await response.json()) as { error: string }).error, /^request body too large: .*1 MB/);
    }
    assert.equal(await pendingScans(), 0);
  });

  it('the handshake echoes hostile tokens exactly, as text/plain, on both endpoints', async () => {
    for (const token of ['<script>alert(1)</script>', 'x'.repeat(4000), 'Ünïcødé ✓ 日本語 🚀 &amp; "q"']) {
      for (const path of ['graph/notifications', 'graph/lifecycle']) {
        const response = await fetch(`${url}/api/${path}?validationToken=${encodeURIComponent(token)}`, {
          method: 'POST',
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(await response.text(), token);
      }
    }
    assert.equal(await pendingScans(), 0);
  });

  it('renews a subscription close to expiry', async () => {
    const support = await subscriptionOf('support');
    const soon = new Date(Date.now() + 60 * 60_000).toISOString();
    await stack.container.stores.subscriptions.upsert({ ...support, expiresAt: soon });
    const before = stack.graph.counters()['subscriptions.renew'] ?? 0;
    await stack.runner.runTimer('graphSubscriptions');
    assert.equal((stack.graph.counters()['subscriptions.renew'] ?? 0) - before, 1);
    const renewed = await subscriptionOf('support');
    assert.equal(renewed.id, support.id);
    assert.ok(Date.parse(renewed.expiresAt) > Date.parse(soon));
  });

  it('lifecycle: reauthorizationRequired reauthorizes, missed rescans', async () => {
    const support = await subscriptionOf('support');
    const reauthBefore = stack.graph.counters()['subscriptions.reauthorize'] ?? 0;
    assert.ok(stack.graph.triggerLifecycle(support.id, 'reauthorizationRequired'));
    await settle(stack);
    assert.equal((stack.graph.counters()['subscriptions.reauthorize'] ?? 0) - reauthBefore, 1);

    const scansBefore = stack.runner.stats().mailboxScan?.invocations ?? 0;
    assert.ok(stack.graph.triggerLifecycle(support.id, 'missed'));
    await settle(stack);
    assert.equal((stack.runner.stats().mailboxScan?.invocations ?? 0) - scansBefore, 1);
  });

  it('lifecycle: subscriptionRemoved → a new subscription, then a rescan that finds the mail sent meanwhile', async () => {
    const support = await subscriptionOf('support');
    assert.ok(stack.graph.triggerLifecycle(support.id, 'subscriptionRemoved'));
    const subject = uniqueSubject('While unsubscribed');
    stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
    await settle(stack);
    const replacement = await subscriptionOf('support');
    assert.notEqual(replacement.id, support.id);
    assert.ok(stack.graph.subscriptions().some((s) => s.id === replacement.id));
    assert.equal(ticketsWithSummary(stack, subject).length, 1);
  });

  it('an agent reply event sends the action as mail with the ticket tag, once however often it is retried', async () => {
    const [action] = await stack.container.halo.addActions([
      {
        ticket_id: 1001,
        outcome_id: 1,
        note: 'Your mailbox is now 100 GB.',
        sendemail: true,
        emailto: 'megan.bowen@contoso.com',
      },
    ]);
    assert.ok(action);
    const event = actionAddedEvent(1001, action.id);
    const sentBefore = stack.graph.sentMail().length;
    const first = await sendAgentReplyForEvent(event, stack.container);
    assert.equal(first.outcome, 'sent', first.detail);
    const again = await sendAgentReplyForEvent({ ...event, deliveryId: randomUUID() }, stack.container);
    assert.equal(again.outcome, 'skipped');
    const sent = stack.graph.sentMail().slice(sentBefore);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.from, SUPPORT);
    assert.deepEqual(sent[0]!.to, ['megan.bowen@contoso.com']);
    assert.match(sent[0]!.subject, /\[ID:1001\]/);
  });

  it('an agent reply event for a private note sends nothing', async () => {
    const [note] = await stack.container.halo.addActions([
      { ticket_id: 1001, outcome_id: 7, note: 'internal', hiddenfromuser: true, emailto: 'megan.bowen@contoso.com' },
    ]);
    const sentBefore = stack.graph.sentMail().length;
    const result = await sendAgentReplyForEvent(
      {
        deliveryId: randomUUID(),
        event: 'Action Added',
        kind: 'action',
        ticketId: 1001,
        actionId: note!.id,
        rawSize: 1,
      },
      stack.container,
    );
    assert.equal(result.outcome, 'skipped');
    assert.match(result.detail, /hidden/);
    assert.equal(stack.graph.sentMail().length, sentBefore);
  });
});
