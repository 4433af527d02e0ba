import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { sendAgentReplyForEvent } from '../../shared/mail/useCases';
import { actionAddedEvent } from './mail-helpers';

describe('mail: an agent reply is never sent twice', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack.graph.faults.clear();
  });

  /** An agent's emailed action on ticket 1001, and the webhook event about it. */
  const replyEvent = async (note: string) => {
    const [action] = await stack.container.halo.addActions([
      { ticket_id: 1001, outcome_id: 1, note, sendemail: true, emailto: 'megan.bowen@contoso.com' },
    ]);
    assert.ok(action);
    return actionAddedEvent(1001, action.id);
  };
  const sendMails = () => stack.graph.requests().filter((r) => r.path.endsWith('/sendMail'));

  for (const effect of [
    { kind: 'lostAnswer', answer: 'drop' },
    { kind: 'lostAnswer', answer: 504 },
    { kind: 'status', status: 503 },
  ] as const) {
    it(`a send whose answer may be lost (${'answer' in effect ? `lost, ${effect.answer}` : effect.status}) is recorded as unknown, never re-sent`, async () => {
      const event = await replyEvent(`reply ${JSON.stringify(effect)}`);
      stack.graph.faults.add({ method: 'POST', path: '/sendMail$', times: 1, effect });
      const attemptsBefore = sendMails().length;
      const first = await sendAgentReplyForEvent(event, stack.container);
      assert.equal(first.outcome, 'unknown', first.detail);
      assert.match(first.detail, /may or may not have been sent.*check Sent Items of support@bridgemsp\.com/);
      assert.equal(sendMails().length - attemptsBefore, 1, 'Graph was asked once: the SDK did not retry');
      const logged = await stack.container.stores.mailLog.get('support', `agent-reply:1001:${event.actionId}`);
      assert.match(logged?.fate ?? '', /^reply outcome unknown/);
      // The event again (a redelivery or a retry): still nothing sent.
      const again = await sendAgentReplyForEvent({ ...event, deliveryId: randomUUID() }, stack.container);
      assert.equal(again.outcome, 'skipped');
      assert.match(again.detail, /interrupted earlier and is not sent again/);
      assert.equal(sendMails().length - attemptsBefore, 1);
    });
  }

  it('a 429 is a refusal: retried, and the mail goes out once', async () => {
    const event = await replyEvent('throttled once');
    stack.graph.faults.add({
      method: 'POST',
      path: '/sendMail$',
      times: 1,
      effect: { kind: 'status', status: 429, retryAfter: 0 },
    });
    const sentBefore = stack.graph.sentMail().length;
    const result = await sendAgentReplyForEvent(event, stack.container);
    assert.equal(result.outcome, 'sent', result.detail);
    assert.equal(stack.graph.sentMail().length - sentBefore, 1);
  });

  it('a send refused outright (4xx) gives its claim back, so a retry of the event sends it once', async () => {
    const event = await replyEvent('refused once');
    stack.graph.faults.add({
      method: 'POST',
      path: '/sendMail$',
      times: 1,
      effect: { kind: 'status', status: 400, code: 'ErrorInvalidRecipients' },
    });
    const sentBefore = stack.graph.sentMail().length;
    assert.equal((await sendAgentReplyForEvent(event, stack.container)).outcome, 'failed');
    assert.equal((await sendAgentReplyForEvent(event, stack.container)).outcome, 'sent');
    assert.equal(stack.graph.sentMail().length - sentBefore, 1);
  });
});
