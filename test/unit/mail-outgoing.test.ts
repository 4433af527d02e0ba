import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type OutgoingActionEvent,
  outgoingActionEventSchema,
  outgoingMailFromAction,
} from '../../shared/mail/outgoing';
import { findTicketTag } from '../../shared/mail/ticketTag';

const mailbox = { address: 'support@bridgemsp.com', tagPattern: '[ID:{id}]' };

function event(action: OutgoingActionEvent['action'], summary = 'Printer broken'): OutgoingActionEvent {
  return { ticketId: 1234, action, ticket: { summary } };
}

describe('mail: outgoing mail from a Halo action', () => {
  it('builds a sendMail body with the tagged subject, HTML body and recipients', () => {
    const result = outgoingMailFromAction(
      event({
        note_html: '<p>Try turning it off and on.</p><script>x()</script>',
        emailto: 'Ann Smith <ann@contoso.com>; bob@contoso.com,ANN@contoso.com',
        emailcc: 'carol@contoso.com;support@bridgemsp.com;bob@contoso.com',
        emailsubject: 'RE: Printer broken',
      }),
      mailbox,
    );
    assert.deepEqual(result, {
      send: {
        message: {
          subject: 'RE: Printer broken [ID:1234]',
          body: { contentType: 'HTML', content: '<p>Try turning it off and on.</p>' },
          toRecipients: [
            { emailAddress: { address: 'ann@contoso.com' } },
            { emailAddress: { address: 'bob@contoso.com' } },
          ],
          ccRecipients: [{ emailAddress: { address: 'carol@contoso.com' } }],
        },
        saveToSentItems: true,
      },
      recipients: 3,
    });
    assert.equal(findTicketTag(result.send?.message.subject), 1234);
  });

  it('uses the ticket summary when the action has no subject, and escapes a plain note', () => {
    const result = outgoingMailFromAction(event({ note: 'a < b\nthanks', emailto: 'ann@contoso.com' }), mailbox);
    assert.equal(result.send?.message.subject, 'Printer broken [ID:1234]');
    assert.equal(result.send?.message.body.content, 'a &lt; b<br />thanks');
  });

  it('sends nothing (and says why) when the action carries no email', () => {
    const reasons = [
      event({ note_html: '<p>x</p>' }),
      event({ note_html: '<p>x</p>', emailto: 'not-an-address; ' }),
      event({ note_html: '<p>x</p>', emailto: 'support@bridgemsp.com' }),
      event({ note_html: '<p>x</p>', emailfrom: 'ann@contoso.com' }),
      event({ note_html: '<p>x</p>', emailto: 'ann@contoso.com', hiddenfromuser: true }),
      event({ note_html: '<p>x</p>', emailto: 'ann@contoso.com', sendemail: false }),
      event({ note_html: '<script>x()</script>', emailto: 'ann@contoso.com' }),
    ].map((e) => {
      const result = outgoingMailFromAction(e, mailbox);
      assert.equal(result.send, undefined);
      return 'reason' in result ? result.reason : '';
    });
    assert.deepEqual(reasons, [
      'the action has no email recipients',
      'the action has no email recipients',
      'the action has no email recipients',
      'the action records an incoming email',
      'the action is hidden from the user',
      'the action is not set to send an email',
      'the action has no text to send',
    ]);
  });

  it('never sends to another of our own mailboxes', () => {
    const result = outgoingMailFromAction(
      event({ note_html: '<p>x</p>', emailto: 'billing@bridgemsp.com; ann@contoso.com' }),
      mailbox,
      ['billing@bridgemsp.com'],
    );
    assert.deepEqual(result.send?.message.toRecipients, [{ emailAddress: { address: 'ann@contoso.com' } }]);
  });

  it('validates the event shape with a JSON path', () => {
    const parsed = outgoingActionEventSchema.safeParse({ ticketId: '12', action: {}, ticket: {} });
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error?.issues.map((i) => i.path.join('.')),
      ['ticketId'],
    );
  });
});
