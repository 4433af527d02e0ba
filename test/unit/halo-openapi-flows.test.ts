import { describe, it } from 'node:test';
import { tenantSyncConfigSchema } from '../../shared/config/integration/tenants';
import { planMessage } from '../../shared/mail/plan';
import { generateSyncDataset, planTenant, toHaloWrites } from '../../shared/sync/contacts';
import { assertValidHaloBody } from '../support/haloOpenApi';
import { message, planInput } from '../support/mailPlanInput';

// The bodies the flows' planners build are what reaches Halo: they must be valid for Halo's published schemas too,
// not only the client's own calls (halo-openapi-bodies.test.ts).

function mailPlan(overrides: Parameters<typeof planInput>[0]) {
  return planMessage(planInput(overrides));
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
