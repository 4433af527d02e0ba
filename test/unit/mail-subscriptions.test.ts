import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLIENT_STATE_BYTES,
  MAIL_SUBSCRIPTION_LIFETIME_MINUTES,
  MAIL_SUBSCRIPTION_MAX_MINUTES,
  planSubscriptions,
  type SubscriptionRow,
} from '../../shared/mail/subscriptions';

const now = new Date('2025-03-01T12:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000).toISOString();
const options = {
  notificationUrl: 'https://bridge.example/api/graph/notifications',
  lifecycleUrl: 'https://bridge.example/api/graph/lifecycle',
  renewBeforeMinutes: 720,
};
const support = { id: 'support', address: 'Support@BridgeMSP.com', notifications: true };
const billing = { id: 'billing', address: 'billing@bridgemsp.com', notifications: true };

let counter = 0;
const random = (size: number) => {
  counter += 1;
  return new Uint8Array(size).fill(counter);
};

function row(mailboxId: string, expiresInMinutes: number, id = `sub-${mailboxId}`): SubscriptionRow {
  return { subscriptionId: id, mailboxId, expirationDateTime: minutes(expiresInMinutes) };
}

describe('mail: subscription planner', () => {
  it('creates a subscription for each mailbox without one, each with its own 32-byte clientState', () => {
    const plan = planSubscriptions([support, billing], [], now, options, random);
    assert.equal(plan.create.length, 2);
    assert.deepEqual(plan.renew, []);
    assert.deepEqual(plan.remove, []);
    const request = plan.create[0]!.request;
    assert.deepEqual(
      { ...request, clientState: undefined },
      {
        changeType: 'created',
        notificationUrl: options.notificationUrl,
        lifecycleNotificationUrl: options.lifecycleUrl,
        resource: "users/support@bridgemsp.com/mailFolders('inbox')/messages",
        expirationDateTime: minutes(MAIL_SUBSCRIPTION_LIFETIME_MINUTES),
        clientState: undefined,
        latestSupportedTlsVersion: 'v1_2',
      },
    );
    assert.ok(MAIL_SUBSCRIPTION_LIFETIME_MINUTES <= MAIL_SUBSCRIPTION_MAX_MINUTES);
    const states = plan.create.map((c) => c.request.clientState);
    assert.notEqual(states[0], states[1]);
    for (const state of states) {
      assert.equal(Buffer.from(state, 'base64url').length, CLIENT_STATE_BYTES);
      assert.ok(state.length <= 128);
    }
  });

  it('leaves a subscription alone just outside the renew threshold and renews it just inside', () => {
    const outside = planSubscriptions([support], [row('support', 721)], now, options, random);
    assert.deepEqual(outside, { create: [], renew: [], remove: [] });
    const atThreshold = planSubscriptions([support], [row('support', 720)], now, options, random);
    assert.deepEqual(atThreshold.renew, [
      {
        subscriptionId: 'sub-support',
        mailboxId: 'support',
        expirationDateTime: minutes(MAIL_SUBSCRIPTION_LIFETIME_MINUTES),
      },
    ]);
    const inside = planSubscriptions([support], [row('support', 719)], now, options, random);
    assert.equal(inside.renew.length, 1);
    assert.equal(inside.create.length, 0);
  });

  it('an expired subscription is removed and replaced', () => {
    for (const expiresIn of [0, -1, -5000]) {
      const plan = planSubscriptions([support], [row('support', expiresIn)], now, options, random);
      assert.deepEqual(plan.remove, [{ subscriptionId: 'sub-support', mailboxId: 'support', reason: 'expired' }]);
      assert.equal(plan.create.length, 1);
      assert.equal(plan.renew.length, 0);
    }
  });

  it('a mailbox with notifications off, or no longer configured, gets none', () => {
    const plan = planSubscriptions(
      [{ ...support, notifications: false }],
      [row('support', 3000), row('gone', 3000)],
      now,
      options,
      random,
    );
    assert.deepEqual(plan.create, []);
    assert.deepEqual(plan.remove, [
      { subscriptionId: 'sub-support', mailboxId: 'support', reason: 'notifications are off for this mailbox' },
      { subscriptionId: 'sub-gone', mailboxId: 'gone', reason: 'mailbox no longer configured' },
    ]);
  });

  it('keeps the longest-lived of duplicates, and replaces one whose URLs or resource changed', () => {
    const plan = planSubscriptions(
      [support, billing],
      [
        row('support', 100, 'a'),
        row('support', 3000, 'b'),
        { ...row('billing', 3000, 'c'), lifecycleNotificationUrl: 'https://old.example/lifecycle' },
      ],
      now,
      options,
      random,
    );
    assert.deepEqual(plan.remove, [
      { subscriptionId: 'a', mailboxId: 'support', reason: 'duplicate subscription' },
      { subscriptionId: 'c', mailboxId: 'billing', reason: 'lifecycle URL changed' },
    ]);
    assert.deepEqual(
      plan.create.map((c) => c.mailboxId),
      ['billing'],
    );
    assert.deepEqual(plan.renew, []);
    const moved = planSubscriptions(
      [support],
      [{ ...row('support', 3000), resource: "users/old@bridgemsp.com/mailFolders('inbox')/messages" }],
      now,
      options,
      random,
    );
    assert.equal(moved.remove[0]!.reason, 'mailbox address changed');
    assert.equal(moved.create.length, 1);
  });

  it('refuses a renew threshold that would renew on every run', () => {
    assert.throws(
      () => planSubscriptions([support], [], now, { ...options, renewBeforeMinutes: 5000 }, random),
      RangeError,
    );
  });
});
