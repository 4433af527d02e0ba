import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constantTimeEquals } from '../../shared/mail/constantTime';
import { lifecycleActions, mailboxesToScan } from '../../shared/mail/notificationRouting';
import { parseDelivery } from '../../shared/mail/notificationSchemas';
import { validationResponse } from '../../shared/mail/validation';

const query = (token: string) => new URLSearchParams(`validationToken=${encodeURIComponent(token)}`);

describe('mail: subscription validation handshake', () => {
  it('echoes the decoded token as text/plain and nothing else', () => {
    const response = validationResponse(
      new URLSearchParams('validationToken=Validation%3A%20Testing%20client%20application%20reachability'),
    );
    assert.deepEqual(response, {
      status: 200,
      headers: { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' },
      body: 'Validation: Testing client application reachability',
    });
  });

  it('echoes hostile, very long and unicode tokens byte for byte, never as HTML', () => {
    for (const token of [
      '<script>alert(document.cookie)</script>',
      '"><img src=x onerror=alert(1)>',
      'x'.repeat(100_000),
      'Prüfung ✓ 日本語 🔥 \u202e',
      'a&b=c%20d+e',
    ]) {
      const response = validationResponse(query(token));
      assert.ok(response);
      assert.equal(response.headers['Content-Type'], 'text/plain');
      assert.ok(Buffer.from(response.body, 'utf8').equals(Buffer.from(token, 'utf8')));
    }
  });

  it('accepts a plain record and a getter', () => {
    assert.equal(validationResponse({ validationToken: 'abc' })?.body, 'abc');
    assert.equal(validationResponse({ get: (n: string) => (n === 'validationToken' ? 't' : null) })?.body, 't');
  });

  it('is not a validation request without a token (or with an empty one)', () => {
    assert.equal(validationResponse(new URLSearchParams('')), undefined);
    assert.equal(validationResponse(new URLSearchParams('validationToken=')), undefined);
    assert.equal(validationResponse({}), undefined);
    assert.equal(validationResponse(Object.create({ validationToken: 'inherited' })), undefined);
  });
});

describe('mail: notification deliveries, item by item', () => {
  it('reads change notifications', () => {
    const parsed = parseDelivery({
      value: [
        {
          subscriptionId: 's1',
          clientState: 'secret',
          changeType: 'created',
          resource: 'Users/u/Messages/m',
          resourceData: { id: 'm' },
        },
      ],
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.changes[0]!.subscriptionId, 's1');
  });

  it('skips a malformed item with its path and reads the others; only a wrong envelope is refused', () => {
    const parsed = parseDelivery({
      value: [
        { changeType: 'created' },
        'x',
        { subscriptionId: 's2', clientState: 'c', changeType: 'created' },
        { subscriptionId: 's3', lifecycleEvent: 5 },
      ],
    });
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.changes.map((c) => c.subscriptionId),
      ['s2'],
    );
    assert.deepEqual(
      parsed.value.invalid.map((i) => [i.index, i.subscriptionId, i.problems[0]!.split(':')[0]]),
      [
        [0, undefined, '$.value[0].subscriptionId'],
        [1, undefined, '$.value[1]'],
        [3, 's3', '$.value[3].lifecycleEvent'],
      ],
    );
    const notArray = parseDelivery({ value: 'nope' });
    assert.ok(!notArray.ok && notArray.problems[0]!.startsWith('$.value:'));
  });

  it('reads lifecycle events in the documented shape and in the shape seen in the wild, mixed with changes', () => {
    const parsed = parseDelivery({
      value: [
        { subscriptionId: 's1', clientState: 'c', lifecycleEvent: 'missed', tenantId: 't1' },
        {
          lifecycleEvent: 'reauthorizationRequired',
          subscriptionId: 's2',
          resource: '',
          clientState: 'c',
          sequence: null,
          resourceData: { x: 1 },
          encryptedContent: null,
          organizationId: 't2',
          subscriptionExpirationDateTime: '2025-03-01T00:00:00Z',
        },
        { subscriptionId: 's3', clientState: 'c', changeType: 'created' },
      ],
      validationTokens: ['jwt'],
    });
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.lifecycle.map((e) => [e.subscriptionId, e.lifecycleEvent, e.tenantId]),
      [
        ['s1', 'missed', 't1'],
        ['s2', 'reauthorizationRequired', 't2'],
      ],
    );
    assert.equal(parsed.value.changes.length, 1);
    assert.deepEqual(parsed.value.invalid, []);
  });
});

describe('mail: routing notifications to mailbox scans', () => {
  const subscriptions = {
    s1: { mailboxId: 'support', clientState: 'state-1' },
    s2: { mailboxId: 'billing', clientState: 'state-2' },
    s3: { mailboxId: 'support', clientState: 'state-3' },
  };

  it('notifications for many mailboxes scan each mailbox once', () => {
    const notifications = [
      ...Array.from({ length: 50 }, () => ({ subscriptionId: 's1', clientState: 'state-1' })),
      ...Array.from({ length: 20 }, () => ({ subscriptionId: 's2', clientState: 'state-2' })),
      { subscriptionId: 's3', clientState: 'state-3' },
    ];
    const result = mailboxesToScan(notifications, subscriptions);
    assert.deepEqual(result.mailboxIds, ['support', 'billing']);
    assert.deepEqual(result.rejected, []);
  });

  it('rejects unknown subscriptions and a wrong or missing clientState', () => {
    const result = mailboxesToScan(
      [
        { subscriptionId: 'nope', clientState: 'state-1' },
        { subscriptionId: 's1', clientState: 'state-2' },
        { subscriptionId: 's2', clientState: null },
        { subscriptionId: '__proto__', clientState: 'x' },
        { subscriptionId: 'constructor', clientState: 'x' },
        { subscriptionId: 's2', clientState: 'state-2' },
      ],
      subscriptions,
    );
    assert.deepEqual(result.mailboxIds, ['billing']);
    assert.deepEqual(result.rejected, [
      { subscriptionId: 'nope', reason: 'unknownSubscription' },
      { subscriptionId: 's1', reason: 'badClientState' },
      { subscriptionId: 's2', reason: 'badClientState' },
      { subscriptionId: '__proto__', reason: 'unknownSubscription' },
      { subscriptionId: 'constructor', reason: 'unknownSubscription' },
    ]);
  });

  it('takes a Map of subscriptions too', () => {
    const result = mailboxesToScan(
      [{ subscriptionId: 's1', clientState: 'state-1' }],
      new Map(Object.entries(subscriptions)),
    );
    assert.deepEqual(result.mailboxIds, ['support']);
  });

  it('lifecycle events map to reauthorize, recreate-then-rescan and rescan', () => {
    const result = lifecycleActions(
      [
        { subscriptionId: 's1', clientState: 'state-1', lifecycleEvent: 'reauthorizationRequired' },
        { subscriptionId: 's2', clientState: 'state-2', lifecycleEvent: 'subscriptionRemoved' },
        { subscriptionId: 's3', clientState: 'state-3', lifecycleEvent: 'missed' },
        { subscriptionId: 's3', clientState: 'state-3', lifecycleEvent: 'somethingNew' },
        { subscriptionId: 's1', clientState: 'forged', lifecycleEvent: 'subscriptionRemoved' },
      ],
      subscriptions,
    );
    assert.deepEqual(result.actions, [
      { subscriptionId: 's1', mailboxId: 'support', action: 'reauthorize' },
      { subscriptionId: 's2', mailboxId: 'billing', action: 'recreateThenRescan' },
      { subscriptionId: 's3', mailboxId: 'support', action: 'rescan' },
    ]);
    assert.deepEqual(result.unknownEvents, ['somethingNew']);
    assert.deepEqual(result.rejected, [{ subscriptionId: 's1', reason: 'badClientState' }]);
  });
});

describe('mail: constant-time comparison', () => {
  it('equal only for identical strings', () => {
    assert.equal(constantTimeEquals('abc', 'abc'), true);
    assert.equal(constantTimeEquals('abc', 'abd'), false);
    assert.equal(constantTimeEquals('abc', 'abcd'), false);
    assert.equal(constantTimeEquals('', ''), true);
    assert.equal(constantTimeEquals('ü', 'ü'), true);
    assert.equal(constantTimeEquals(undefined, undefined), false);
    assert.equal(constantTimeEquals(null, 'x'), false);
  });
});
