import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CompanyMatchResult, isMatched, matchCompany } from '../../shared/sync/contacts/matchCompany';
import { planTenant } from '../../shared/sync/contacts/plan';
import type { HaloClient } from '../../shared/sync/contacts/types';
import { client, config, contact, TENANT_ID, tenant } from './sync-fixtures';

const fabrikam = tenant();

function match(clients: HaloClient[], users = [contact({ client_id: 99, emailaddress: 'x@elsewhere.example' })]) {
  return matchCompany(fabrikam, { clients, users });
}

function matched(result: CompanyMatchResult) {
  assert.ok(isMatched(result), `expected a match, got ${JSON.stringify(result)}`);
  return result;
}

describe('company matching', () => {
  it('1: a linked tenant id wins over every other rule', () => {
    const result = matched(
      match([
        client(1, { name: 'Fabrikam Inc', website: 'fabrikam.com' }),
        client(2, { azure_tenants: [{ azure_tenant_id: TENANT_ID.toUpperCase() }] }),
      ]),
    );
    assert.equal(result.clientId, 2);
    assert.equal(result.by, 'tenantId');
  });

  it('2: the display name, ignoring case and spaces', () => {
    const result = matched(
      match([client(1, { name: '  FABRIKAM   inc ' }), client(2, { name: 'Fabrikam Incorporated' })]),
    );
    assert.deepEqual([result.clientId, result.by], [1, 'name']);
  });

  it('3: the default domain equals the website host (scheme, www, port and path stripped)', () => {
    const result = matched(match([client(1, { website: 'HTTPS://www.Fabrikam.com:443/about?x=1' })]));
    assert.deepEqual([result.clientId, result.by], [1, 'website']);
  });

  it('4: a verified domain equals the website host', () => {
    const result = matched(
      match([client(1, { website: 'fabrikam.net' }), client(2, { website: 'https://contoso.com' })]),
    );
    assert.deepEqual([result.clientId, result.by], [1, 'domain']);
  });

  it('5: the email domains of the company contacts meet the verified domains', () => {
    const result = matched(
      match(
        [client(1), client(2)],
        [
          contact({ client_id: 1, emailaddress: 'ann@contoso.com' }),
          contact({ client_id: 2, emailaddress: 'bob@FABRIKAM.net' }),
        ],
      ),
    );
    assert.deepEqual([result.clientId, result.by], [2, 'contactDomain']);
    assert.match(result.detail, /fabrikam\.net/);
  });

  it('a tie at a step stops as ambiguous, naming both companies, even when a later rule would be unique', () => {
    const result = match([
      client(1, { name: 'Fabrikam Inc' }),
      client(2, { name: 'fabrikam inc' }),
      client(3, { website: 'https://fabrikam.com' }),
    ]);
    assert.ok(!isMatched(result));
    assert.match(result.unmatched, /^ambiguous: rule "name" matches 2 companies/);
    assert.match(result.unmatched, /"Fabrikam Inc" \(#1\) and "fabrikam inc" \(#2\)/);
    assert.match(result.instruction, new RegExp(TENANT_ID));
    assert.deepEqual(
      result.candidates?.map((c) => c.clientId),
      [1, 2],
    );
  });

  it('two companies linked to the same tenant are a tie too', () => {
    const link = [{ azure_tenant_id: TENANT_ID }];
    const result = match([client(1, { azure_tenants: link }), client(2, { azure_tenants: link })]);
    assert.ok(!isMatched(result));
    assert.match(result.unmatched, /rule "tenantId"/);
  });

  it('inactive companies are never candidates', () => {
    const result = matched(
      match([
        client(1, { inactive: true, azure_tenants: [{ azure_tenant_id: TENANT_ID }] }),
        client(2, { inactive: true, name: 'Fabrikam Inc' }),
        client(3, { name: 'Fabrikam Inc' }),
      ]),
    );
    assert.deepEqual([result.clientId, result.by], [3, 'name']);
  });

  it('an unmatched tenant says exactly how to fix it', () => {
    const result = match([client(1, { name: 'Contoso', website: 'contoso.com' })]);
    assert.ok(!isMatched(result));
    assert.equal(
      result.instruction,
      `Set the website of the Halo company for Fabrikam Inc to https://fabrikam.com or link tenant ${TENANT_ID} on its Azure tenants tab.`,
    );
  });

  it('plans a tenant link, keeping existing links, when matched by anything but the tenant id', () => {
    const other = { id: 7, azure_tenant_id: '33333333-3333-4333-8333-333333333333', azure_tenant_name: 'Old' };
    const halo = { clients: [client(1, { name: 'Fabrikam Inc', azure_tenants: [other] })], sites: [], users: [] };
    const plan = planTenant(fabrikam, halo, config());
    assert.equal(plan.changes.length, 1);
    const link = plan.changes[0]!;
    assert.equal(link.kind, 'linkTenant');
    assert.deepEqual(link.body, {
      id: 1,
      azure_tenants: [
        other,
        { azure_tenant_id: TENANT_ID, azure_tenant_name: 'Fabrikam Inc', details_name: 'Default' },
      ],
    });
    assert.match(link.reason, /matched by name/);
    assert.equal(planTenant(fabrikam, halo, config({ linkTenantOnMatch: false })).changes.length, 0);
  });

  it('match-only planning leaves contacts alone', () => {
    const halo = {
      clients: [client(1, { azure_tenants: [{ azure_tenant_id: TENANT_ID }] })],
      sites: [],
      users: [contact({ client_id: 1, emailaddress: 'gone@fabrikam.com' })],
    };
    assert.equal(planTenant(fabrikam, halo, config(), { contacts: false }).changes.length, 0);
    assert.equal(planTenant(fabrikam, halo, config()).changes.length, 1);
  });
});
