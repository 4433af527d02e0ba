import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mailLogEntry } from '../../shared/mail/mailLog';
import type { MailPlan } from '../../shared/mail/plan';

const created: MailPlan = {
  kind: 'createTicket',
  draft: { summary: 's', details_html: '', tickettype_id: 1, client_id: 13, reportedby: 'a@b.c' },
  move: 'processed',
  notes: [],
};

describe('mail: mail log entry', () => {
  it('created ticket', () => {
    const entry = mailLogEntry('AAMk1', '<m@x>', created, 1234, { mailboxId: 'support', subject: 'Printer' });
    assert.deepEqual(entry, {
      messageId: 'AAMk1',
      internetMessageId: '<m@x>',
      mailboxId: 'support',
      subject: 'Printer',
      outcome: 'created',
      fate: 'ticket 1234 created',
      move: 'processed',
      ticketId: 1234,
    });
  });

  it('appended, with the planner notes in the fate', () => {
    const plan: MailPlan = {
      kind: 'appendAction',
      ticketId: 1234,
      action: {
        ticket_id: 1234,
        outcome_id: 1,
        note_html: '',
        hiddenfromuser: false,
        emailfrom: 'a@b.c',
        emailsubject: 's',
      },
      move: 'processed',
      notes: ['sender a@b.c is not a Halo user; appended as an email from them'],
    };
    const entry = mailLogEntry('AAMk2', undefined, plan);
    assert.equal(entry.fate, 'appended to 1234 (sender a@b.c is not a Halo user; appended as an email from them)');
    assert.equal(entry.ticketId, 1234);
    assert.equal(entry.internetMessageId, undefined);
  });

  it('ignored, naming the rule and what matched', () => {
    const entry = mailLogEntry('AAMk3', '<m3@x>', {
      kind: 'ignore',
      rule: 'autoReply',
      detail: 'Auto-Submitted: auto-replied',
      move: 'processed',
    });
    assert.equal(entry.fate, 'ignored by rule autoReply: Auto-Submitted: auto-replied');
    assert.equal(entry.outcome, 'ignored');
    assert.equal(entry.rule, 'autoReply');
  });

  it('failed, with an actionable message and the failed folder', () => {
    const entry = mailLogEntry('AAMk4', '<m4@x>', { error: { status: 403, code: 'ErrorAccessDenied' } }, undefined, {
      errorContext: { operation: 'move' },
    });
    assert.equal(entry.outcome, 'failed');
    assert.equal(entry.move, 'failed');
    assert.match(entry.fate, /^failed: Access denied .*Mail\.ReadWrite/);
  });
});
