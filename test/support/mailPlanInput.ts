import { mailboxConfigSchema } from '../../shared/config/integration/mailboxes';
import { classifyMessage } from '../../shared/mail/classify';
import type { GraphMessage } from '../../shared/mail/graphMessage';
import type { PlanInput } from '../../shared/mail/plan';

/** A support mailbox and a customer's mail, the inputs of the mail planner's tests. */
export const mailbox = mailboxConfigSchema.parse({
  id: 'support',
  tenantId: '99999999-9999-4999-8999-999999999999',
  address: 'support@bridgemsp.com',
  ticket: { ticketTypeId: 1, fallbackClientId: 13, statusId: 1, sourceId: 4, replyOutcomeId: 1, replyStatusId: 2 },
});
export const own = ['support@bridgemsp.com'];

export const message: GraphMessage = {
  id: 'AAMk-1',
  internetMessageId: '<abc@contoso.com>',
  subject: 'Printer broken',
  from: { emailAddress: { name: 'Ann Smith', address: 'ann@contoso.com' } },
  ccRecipients: [
    { emailAddress: { address: 'bob@contoso.com' } },
    { emailAddress: { address: 'Support@bridgemsp.com' } },
    { emailAddress: { address: 'BOB@contoso.com' } },
  ],
  body: { contentType: 'html', content: '<p>It jams.</p><script>x()</script>' },
  receivedDateTime: '2025-03-01T10:00:00Z',
};

/** The planner's input for `message` (or an override), classified as the scanner would. */
export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  const m = overrides.message ?? message;
  return {
    message: m,
    mailbox,
    classification: classifyMessage(m, mailbox, { ownMailboxAddresses: own }),
    fallback: { clientId: 13 },
    ownMailboxAddresses: own,
    ...overrides,
  };
}
