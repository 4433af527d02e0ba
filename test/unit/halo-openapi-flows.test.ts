import { describe, it } from 'node:test';
import { mailboxConfigSchema } from '../../shared/config/integration/mailboxes';
import { tenantSyncConfigSchema } from '../../shared/config/integration/tenants';
import { classifyMessage } from '../../shared/mail/classify';
import type { GraphMessage } from '../../shared/mail/graphMessage';
import { planMessage } from '../../shared/mail/plan';
import { generateSyncDataset, planTenant, toHaloWrites } from '../../shared/sync';
import { assertValidHaloBody } from '../support/haloOpenApi';

// The bodies the flows' planners build are what reaches Halo: they must be valid for Halo's published schemas too,
// not only the client's own calls (halo-openapi-bodies.test.ts).

const mailbox = mailboxConfigSchema.parse({
  id: 'support',
  tenantId: '99999999-9999-4999-8999-999999999999',
  address: 'support@bridgemsp.com',
  ticket: { ticketTypeId: 1, fallbackClientId: 13, statusId: 1, sourceId: 4, replyOutcomeId: 1, replyStatusId: 2 },
});
const own = ['support@bridgemsp.com'];
const message: GraphMessage = {
  id: 'AAMk-1',
  internetMessageId: '<abc@contoso.com>',
  subject: 'Printer broken',
  from: { emailAddress: { name: 'Ann Smith', address: 'ann@contoso.com' } },
  ccRecipients: [{ emailAddress: { address: 'bob@contoso.com' } }],
  body: { contentType: 'html', content: '<p>It jams.</p>' },
  receivedDateTime: '2025-03-01T10:00:00Z',
};

function mailPlan(overrides: Partial<Parameters<typeof planMessage>[0]>) {
  const m = overrides.message ?? message;
  return planMessage({
    message: m,
    mailbox,
    classification: classifyMessage(m, mailbox, { ownMailboxAddresses: own }),
    fallback: { clientId: 13 },
    ownMailboxAddresses: own,
    ...overrides,
  });
}

describe("flow bodies against Halo's OpenAPI spec", () => {
  it('mail: a ticket for an unknown sender, for a known user, and a threaded reply', () => {
    const unknown = mailPlan({});
    if (unknown.kind === 'createTicket') assertValidHaloBody('POST /Tickets', [unknown.draft]);
    const known = mailPlan({ senderUser: { id: 201, client_id: 10, site_id: 10 } });
    if (known.kind === 'createTicket') assertValidHaloBody('POST /Tickets', [known.draft]);
    const reply = mailPlan({
      message: { ...message, subject: 'RE: Printer broken [ID:1001]' },
      taggedTicket: { id: 1001, exists: true },
    });
    if (reply.kind === 'appendAction') assertValidHaloBody('POST /Actions', [reply.action]);
    const kinds = [unknown.kind, known.kind, reply.kind];
    if (kinds.join() !== 'createTicket,createTicket,appendAction') throw new Error(`unexpected plans: ${kinds}`);
  });

  it('tenant sync: every batch of contact and company writes', () => {
    const dataset = generateSyncDataset({ tenants: 6, usersPerTenant: 20, seed: 7 });
    const config = tenantSyncConfigSchema.parse({});
    const plans = dataset.tenants.map((tenant) => planTenant(tenant, dataset.halo, config));
    const batches = toHaloWrites(plans);
    const resources = new Set(batches.map((b) => b.resource));
    for (const batch of batches) assertValidHaloBody(`POST ${batch.resource}`, batch.bodies);
    if (!resources.has('/Users') || !resources.has('/Client'))
      throw new Error(`too few kinds of writes: ${[...resources]}`);
  });
});
