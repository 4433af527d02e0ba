import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type HaloSimulator, startHaloSimulator } from '../../dev/halo-sim';
import {
  extractHaloOpenApiSubset,
  FULL_SPEC_PATH,
  HALO_REQUEST_BODIES,
  haloSimFacts,
  SIM_FACTS_PATH,
} from '../../scripts/extract-halo-openapi';
import { createHaloClient, type HaloClient } from '../../shared/halo';
import { silentLogger } from '../../shared/runtime/logger';
import { haloOpenApiSubset, haloRequestValidator } from '../support/haloOpenApi';

const subset = haloOpenApiSubset;
const validatorFor = haloRequestValidator;

describe("request bodies against Halo's OpenAPI spec", () => {
  let sim: HaloSimulator;
  let client: HaloClient;
  before(async () => {
    sim = await startHaloSimulator({ rateLimit: false });
    client = createHaloClient({
      baseUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      log: silentLogger,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
  });
  after(async () => {
    await sim.stop();
  });

  it('validates every write the client makes', async () => {
    const [ticket] = await client.createTickets([
      {
        summary: 'Printer on fire',
        details_html: '<p>smoke</p>',
        tickettype_id: 1,
        client_id: 10,
        site_id: 10,
        user_id: 201,
        donotapplytemplateintheapi: true,
        customfields: [{ id: 203, value: 50 }],
      },
    ]);
    await client.updateTickets([{ id: ticket!.id, status_id: 2, customfields: [{ id: 203, value: 60 }] }]);
    await client.addActions([
      { ticket_id: ticket!.id, outcome_id: 7, note_html: '<b>x</b>', hiddenfromuser: true, new_status: 18 },
    ]);
    const [user] = await client.createUsers([
      { name: 'New Person', site_id: 10, emailaddress: 'new@contoso.com', azureoid: 'abc', firstname: 'New' },
    ]);
    await client.updateUsers([{ id: user!.id, inactive: true }]);
    await client.updateClients([
      {
        id: 12,
        azure_tenants: [
          {
            azure_tenant_id: '33333333-3333-4333-8333-333333333333',
            azure_tenant_name: 'Northwind',
            details_name: 'Default',
          },
        ],
      },
    ]);
    await client.runReport('SELECT aarea, aareadesc FROM AREA');
    const run = await sim.agentAddsAction({ ticket_id: 1001, outcome_id: 30 });
    await client.markScriptRunsProcessed([{ id: run.scriptRun!.id, success: false, result_message: 'boom' }]);
    await client.addAttachments([{ ticket_id: ticket!.id, filename: 'a.txt', content: 'hello', note: 'log' }]);

    const writes = sim.requests().filter((r) => r.method === 'POST' && r.path.startsWith('/api/'));
    const seen = new Set<string>();
    for (const write of writes) {
      const key = `POST /${write.path.split('/')[2]}`;
      seen.add(key);
      const validate = validatorFor(key);
      assert.equal(
        validate(write.body),
        true,
        `${key}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(write.body)}`,
      );
    }
    // The Entra ID sync's bodies (agents, CABs, sites, licences) are validated by its own test (entra-openapi-bodies).
    const entraBodies = ['POST /Agent', 'POST /CAB', 'POST /Site', 'POST /SoftwareLicence'];
    assert.deepEqual([...seen].sort(), HALO_REQUEST_BODIES.filter((k) => !entraBodies.includes(k)).sort());
  });

  it('rejects a property Halo does not know (so the check has teeth)', () => {
    const validate = validatorFor('POST /Tickets');
    assert.equal(validate([{ summary: 'x', userlookup: { id: -1 } }]), false);
    assert.equal(validate({ summary: 'not an array' }), false);
  });

  it("the Halo simulator's list rows and numeric fields are the subset's (run the extract script to refresh)", () => {
    const committed = JSON.parse(readFileSync(SIM_FACTS_PATH, 'utf8')) as ReturnType<typeof haloSimFacts>;
    assert.deepEqual(committed, haloSimFacts(subset));
    assert.ok(committed.listRows.tickets?.includes('email_message_id'));
    assert.ok(!committed.listRows.users?.includes('azureoid'));
  });

  it('the committed subset is whole: every write our client makes, and exactly the schemas they reference', () => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const [key, schema] of Object.entries(subset.requestBodies)) {
      const [method, path] = key.split(' ') as [string, string];
      paths[path] = {
        ...paths[path],
        [method.toLowerCase()]: { requestBody: { content: { 'application/json': { schema } } } },
      };
    }
    const reExtracted = extractHaloOpenApiSubset({ info: subset.source, paths, components: subset.components });
    assert.deepEqual(
      reExtracted,
      subset,
      'run: node scripts/launch.mjs scripts/extract-halo-openapi.ts <halo-openapi.json>',
    );
  });

  it('the committed subset is what the full spec gives (compared where the spec sits next to the checkout)', (t) => {
    if (!existsSync(FULL_SPEC_PATH)) {
      // A fresh clone or CI has only the subset; the test above still proves it complete and closed.
      t.diagnostic(`full Halo spec not at ${FULL_SPEC_PATH}: checked the subset's consistency only`);
      return;
    }
    const fresh = extractHaloOpenApiSubset(JSON.parse(readFileSync(FULL_SPEC_PATH, 'utf8')));
    assert.deepEqual(fresh, subset, 'run: node scripts/launch.mjs scripts/extract-halo-openapi.ts');
  });
});
