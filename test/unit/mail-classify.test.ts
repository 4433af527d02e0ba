import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Classification, classifyMessage } from '../../shared/mail/classify';
import type { GraphMessage } from '../../shared/mail/graphMessage';

const mailbox = {
  address: 'support@bridgemsp.com',
  ignore: {
    senders: ['noreply@vendor.com', '@spam.example', '/^alerts-\\d+@/'],
    subjects: ['newsletter', '/^\\[SPAM\\]/'],
  },
};
const context = { ownMailboxAddresses: ['support@bridgemsp.com', 'billing@bridgemsp.com'] };

function message(overrides: Partial<GraphMessage> = {}, headers: Record<string, string> = {}): GraphMessage {
  return {
    id: 'm1',
    subject: 'Printer is broken',
    from: { emailAddress: { name: 'Ann', address: 'ann@contoso.com' } },
    internetMessageHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
    ...overrides,
  };
}

function ruleOf(result: Classification): string {
  return result.action === 'ignore' ? `${result.rule}: ${result.detail}` : 'process';
}

describe('mail: ignore rules', () => {
  it('processes an ordinary message', () => {
    assert.deepEqual(classifyMessage(message(), mailbox, context), { action: 'process' });
  });

  it('Auto-Submitted anything but "no" is an auto reply; "no" is not', () => {
    assert.equal(
      ruleOf(classifyMessage(message({}, { 'Auto-Submitted': 'auto-replied' }), mailbox, context)),
      'autoReply: Auto-Submitted: auto-replied',
    );
    assert.equal(
      ruleOf(classifyMessage(message({}, { 'auto-submitted': 'auto-generated' }), mailbox, context)),
      'autoReply: Auto-Submitted: auto-generated',
    );
    assert.equal(ruleOf(classifyMessage(message({}, { 'Auto-Submitted': 'No' }), mailbox, context)), 'process');
  });

  for (const [name, value] of [
    ['X-Auto-Response-Suppress', 'All'],
    ['x-autoreply', 'yes'],
    ['X-Autorespond', 'Out of office'],
    ['Precedence', 'bulk'],
    ['PRECEDENCE', 'auto_reply'],
    ['Precedence', 'junk'],
  ] as const) {
    it(`${name}: ${value} is an auto reply`, () => {
      const result = classifyMessage(message({}, { [name]: value }), mailbox, context);
      assert.equal(result.action, 'ignore');
      assert.equal(result.action === 'ignore' && result.rule, 'autoReply');
    });
  }

  it('Precedence: list (a mailing list) is processed', () => {
    assert.equal(ruleOf(classifyMessage(message({}, { Precedence: 'list' }), mailbox, context)), 'process');
  });

  it('a delivery status report is a bounce', () => {
    const headers = { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' };
    assert.match(
      ruleOf(classifyMessage(message({}, headers), mailbox, context)),
      /^bounce: Content-Type: multipart\/report/,
    );
  });

  it('postmaster@ and mailer-daemon@ senders are bounces', () => {
    for (const address of ['postmaster@contoso.com', 'MAILER-DAEMON@mx.example.net']) {
      const result = classifyMessage(message({ from: { emailAddress: { address } } }), mailbox, context);
      assert.equal(result.action === 'ignore' && result.rule, 'bounce', address);
    }
  });

  it('no sender, an empty address or Return-Path <> is a null sender', () => {
    for (const m of [
      message({ from: null, sender: null }),
      message({ from: { emailAddress: { address: '  ' } }, sender: undefined }),
      message({ from: { emailAddress: null } }),
      message({}, { 'Return-Path': '<>' }),
    ]) {
      const result = classifyMessage(m, mailbox, context);
      assert.equal(result.action === 'ignore' && result.rule, 'nullSender');
    }
  });

  it('mail from our own mailboxes (from or sender, any case) is a loop', () => {
    for (const m of [
      message({ from: { emailAddress: { address: 'Support@BridgeMSP.com' } } }),
      message({ sender: { emailAddress: { address: 'billing@bridgemsp.com' } } }),
    ]) {
      assert.equal(ruleOf(classifyMessage(m, mailbox, context)).split(':')[0], 'loop');
    }
    const own = message({ from: { emailAddress: { address: 'support@bridgemsp.com' } } });
    assert.equal(ruleOf(classifyMessage(own, mailbox, { ownMailboxAddresses: [] })).split(':')[0], 'loop');
  });

  it('sender patterns: exact address, @domain and /regex/', () => {
    const cases: [string, string][] = [
      ['NoReply@vendor.com', 'senderRule: sender noreply@vendor.com matches "noreply@vendor.com"'],
      ['x@spam.example', 'senderRule: sender x@spam.example matches "@spam.example"'],
      ['alerts-42@monitor.io', 'senderRule: sender alerts-42@monitor.io matches "/^alerts-\\d+@/"'],
      ['x@sub.spam.example', 'process'],
      ['someone@vendor.com', 'process'],
    ];
    for (const [address, expected] of cases) {
      assert.equal(
        ruleOf(classifyMessage(message({ from: { emailAddress: { address } } }), mailbox, context)),
        expected,
      );
    }
  });

  it('subject patterns: substring (any case) and /regex/', () => {
    assert.equal(
      ruleOf(classifyMessage(message({ subject: 'Our NEWSLETTER for May' }), mailbox, context)),
      'subjectRule: subject matches "newsletter"',
    );
    assert.equal(
      ruleOf(classifyMessage(message({ subject: '[spam] buy' }), mailbox, context)).split(':')[0],
      'subjectRule',
    );
    assert.equal(ruleOf(classifyMessage(message({ subject: 'Re: [SPAM] buy' }), mailbox, context)), 'process');
    assert.equal(ruleOf(classifyMessage(message({ subject: null }), mailbox, context)), 'process');
  });
});
