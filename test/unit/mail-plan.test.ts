import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mailboxConfigSchema } from '../../shared/config/integration/mailboxes';
import { DEFAULT_REPLY_OUTCOME_ID, planMessage } from '../../shared/mail/plan';
import { mailbox, message, planInput } from '../support/mailPlanInput';

const input = planInput;

describe('mail: plan for a message', () => {
  it('new sender → ticket for the fallback client General User (no user sent), integers only', () => {
    const plan = planMessage(input());
    assert.equal(plan.kind, 'createTicket');
    if (plan.kind !== 'createTicket') return;
    assert.deepEqual(plan.draft, {
      summary: 'Printer broken',
      details_html: '<p><b>From:</b> Ann Smith &#60;ann@contoso.com&#62;</p><p>It jams.</p>',
      tickettype_id: 1,
      client_id: 13,
      reportedby: 'Ann Smith <ann@contoso.com>',
      status_id: 1,
      source: 4,
      emailcclist: 'bob@contoso.com',
      email_message_id: '<abc@contoso.com>',
      dateoccurred: '2025-03-01T10:00:00Z',
    });
    assert.equal(plan.move, 'processed');
    assert.equal('user_id' in plan.draft, false);
    assert.match(plan.notes[0]!, /General User of client 13/);
  });

  it('known sender → ticket for that user with their client and site', () => {
    const plan = planMessage(input({ senderUser: { id: 55, client_id: 10, site_id: 100 } }));
    assert.equal(plan.kind, 'createTicket');
    if (plan.kind !== 'createTicket') return;
    assert.equal(plan.draft.user_id, 55);
    assert.equal(plan.draft.site_id, 100);
    assert.equal(plan.draft.client_id, 10);
    assert.equal('userlookup' in plan.draft, false);
    assert.equal(plan.draft.details_html, '<p>It jams.</p>');
    assert.deepEqual(plan.notes, []);
  });

  it('fallback user is used only with its site; without a site the General User is', () => {
    const withSite = planMessage(input({ fallback: { clientId: 13, userId: 9, siteId: 90 } }));
    assert.ok(withSite.kind === 'createTicket');
    assert.deepEqual([withSite.draft.user_id, withSite.draft.site_id], [9, 90]);
    const noSite = planMessage(input({ fallback: { clientId: 13, userId: 9 } }));
    assert.ok(noSite.kind === 'createTicket');
    assert.equal(noSite.draft.user_id, undefined);
    assert.equal('userlookup' in noSite.draft, false);
    assert.match(noSite.notes[0]!, /fallback user 9 has no site id/);
  });

  it('tag of an existing ticket → action on it, visible to the user', () => {
    const tagged = { ...message, subject: 'RE: Printer broken [ID:1234]' };
    const plan = planMessage(
      input({
        message: tagged,
        taggedTicket: { id: 1234, exists: true },
        senderUser: { id: 55, client_id: 10, site_id: 100 },
      }),
    );
    assert.equal(plan.kind, 'appendAction');
    if (plan.kind !== 'appendAction') return;
    assert.equal(plan.ticketId, 1234);
    assert.deepEqual(plan.action, {
      ticket_id: 1234,
      outcome_id: 1,
      note_html: '<p>It jams.</p>',
      hiddenfromuser: false,
      emailfrom: 'ann@contoso.com',
      emailsubject: 'RE: Printer broken [ID:1234]',
      emailcc: 'bob@contoso.com',
      email_message_id: '<abc@contoso.com>',
      actionby_user_id: 55,
      new_status: 2,
    });
  });

  it('append from an unknown sender shows who wrote it; no reply outcome configured → the stock note outcome', () => {
    const bare = mailboxConfigSchema.parse({ ...mailbox, ticket: { ticketTypeId: 1, fallbackClientId: 13 } });
    const plan = planMessage(input({ mailbox: bare, taggedTicket: { id: 8, exists: true } }));
    assert.ok(plan.kind === 'appendAction');
    assert.equal(plan.action.outcome_id, DEFAULT_REPLY_OUTCOME_ID);
    assert.equal(plan.action.new_status, undefined);
    assert.ok(plan.action.note_html.startsWith('<p><b>From:</b> Ann Smith'));
    assert.match(plan.notes[0]!, /not a Halo user/);
  });

  it('tag of a ticket that no longer exists → new ticket, stale tag out of the summary, and says why', () => {
    const tagged = { ...message, subject: 'RE: Printer broken [ID:999]' };
    const plan = planMessage(input({ message: tagged, taggedTicket: { id: 999, exists: false } }));
    assert.equal(plan.kind, 'createTicket');
    if (plan.kind !== 'createTicket') return;
    assert.equal(plan.draft.summary, 'RE: Printer broken');
    assert.match(plan.notes[0]!, /ticket 999, which no longer exists/);
  });

  it('ignored mail → ignore plan with the rule, still moved to processed', () => {
    const auto = { ...message, internetMessageHeaders: [{ name: 'Auto-Submitted', value: 'auto-replied' }] };
    assert.deepEqual(planMessage(input({ message: auto })), {
      kind: 'ignore',
      rule: 'autoReply',
      detail: 'Auto-Submitted: auto-replied',
      move: 'processed',
    });
  });

  it('refuses non-integer Halo ids instead of sending them', () => {
    assert.throws(
      () => planMessage(input({ senderUser: { id: 55.5, client_id: 10, site_id: 100 } })),
      /user_id must be an integer/,
    );
  });

  it('the draft serialises as a one-item array Halo accepts', () => {
    const plan = planMessage(input());
    assert.ok(plan.kind === 'createTicket');
    const body = JSON.parse(JSON.stringify([plan.draft]));
    assert.ok(Array.isArray(body) && body.length === 1);
    for (const key of ['tickettype_id', 'client_id', 'status_id', 'source'])
      assert.ok(Number.isInteger(body[0][key]), key);
  });
});
