import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { websiteHost } from '../../shared/sync/common/normalise';
import { SyncInputError } from '../../shared/sync/common/parseInput';
import { customerTenants } from '../../shared/sync/contacts/customerTenants';
import { parseContracts, tenantSnapshotFromGraph } from '../../shared/sync/contacts/graphInput';
import { clientsFromList, usersFromList, withAzureMappings } from '../../shared/sync/contacts/haloLists';
import {
  HALO_SYNC_REPORTS,
  haloSnapshotFromReports,
  keepActiveColumn,
  usersReport,
} from '../../shared/sync/contacts/haloReports';
import { config } from './sync-fixtures';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';

describe('customer tenants', () => {
  it('GDAP first, contracts as fallback, minus exclude, plus include, de-duplicated, with their source', () => {
    const tenants = customerTenants({
      gdapCustomers: [
        { tenantId: A, displayName: 'Contoso' },
        { tenantId: B, displayName: 'Fabrikam' },
      ],
      contracts: [
        { customerId: A.toUpperCase(), displayName: 'Contoso (contract)', defaultDomainName: 'contoso.com' },
        { customerId: C, displayName: 'Northwind', defaultDomainName: 'northwind.com' },
      ],
      config: config({ exclude: [B], include: [{ tenantId: D, name: 'Tailspin' }, { tenantId: B }] }),
    });
    assert.deepEqual(tenants, [
      { tenantId: A, displayName: 'Contoso', source: 'gdap', defaultDomain: 'contoso.com' },
      { tenantId: C, displayName: 'Northwind', defaultDomain: 'northwind.com', source: 'contracts' },
      { tenantId: D, displayName: 'Tailspin', source: 'config' },
    ]);
  });

  it('contracts only, or only the listed tenants', () => {
    const input = {
      gdapCustomers: [{ tenantId: A, displayName: 'Contoso' }],
      contracts: [{ customerId: C, displayName: 'N' }],
    };
    assert.deepEqual(
      customerTenants({ ...input, config: config({ discovery: 'contracts' }) }).map((t) => t.tenantId),
      [C],
    );
    assert.deepEqual(
      customerTenants({ ...input, config: config({ discovery: 'listed', include: [{ tenantId: D }] }) }),
      [{ tenantId: D, displayName: D, source: 'config' }],
    );
    assert.deepEqual(customerTenants({ config: config() }), []);
  });
});

describe('external input', () => {
  it('website hosts', () => {
    assert.deepEqual(
      [
        'https://www.Fabrikam.com/',
        'fabrikam.com:8080/x',
        'http://user@www.fabrikam.com?q',
        'www.fabrikam.com.',
        null,
        '',
      ].map(websiteHost),
      ['fabrikam.com', 'fabrikam.com', 'fabrikam.com', 'fabrikam.com', '', ''],
    );
  });

  it('maps Graph users and domains; a bad row is left out and named with its field, never failing the tenant', () => {
    const snapshot = tenantSnapshotFromGraph({
      tenantId: B,
      displayName: 'Fabrikam',
      domains: [
        { id: 'Fabrikam.onmicrosoft.com', isDefault: false, isVerified: true },
        { id: 'fabrikam.com', isDefault: true, isVerified: true },
        { id: 'pending.example', isDefault: false, isVerified: false },
      ],
      users: [
        {
          id: 'u1',
          userPrincipalName: 'ann@fabrikam.com',
          businessPhones: [],
          assignedLicenses: [{ skuId: 's', disabledPlans: [] }],
        },
      ],
    });
    assert.equal(snapshot.defaultDomain, 'fabrikam.com');
    assert.deepEqual(snapshot.verifiedDomains, ['fabrikam.onmicrosoft.com', 'fabrikam.com']);
    assert.equal(snapshot.users[0]!.accountEnabled, true);
    assert.deepEqual(snapshot.users[0]!.proxyAddresses, []);
    assert.equal(snapshot.users[0]!.mail, null);
    const withBadRows = tenantSnapshotFromGraph({
      tenantId: B,
      displayName: 'F',
      domains: [],
      users: [{ id: 'u1' }, { id: 'u2', userPrincipalName: 5 }, { id: 'u3', userPrincipalName: 'ok@f.example' }],
    });
    assert.deepEqual(
      withBadRows.users.map((u) => u.id),
      ['u3'],
    );
    assert.deepEqual(
      withBadRows.skippedUsers?.map((s) => [s.userPrincipalName, s.reason.match(/left out: (\w+)/)?.[1]]),
      [
        ['(user u1)', 'userPrincipalName'],
        ['(user u2)', 'userPrincipalName'],
      ],
    );
    assert.throws(
      () => tenantSnapshotFromGraph({ tenantId: B, displayName: 'F', domains: {}, users: [] }),
      SyncInputError,
    );
    const contracts = parseContracts([{ displayName: 'x' }, { customerId: B, displayName: 'Fabrikam' }]);
    assert.deepEqual(
      contracts.items.map((c) => c.customerId),
      [B],
    );
    assert.deepEqual(
      contracts.skipped.map((s) => [s.index, s.reason.match(/^\w+/)?.[0]]),
      [[0, 'customerId']],
    );
  });

  it('maps Halo API lists: integers, flags, custom fields, unread fields left undefined', () => {
    const [client] = clientsFromList([
      {
        id: 11,
        name: 'Fabrikam',
        website: null,
        inactive: 0,
        azure_tenants: [{ id: 4, azure_tenant_id: B, azure_tenant_name: 'F', details_name: null }],
      },
    ]);
    assert.deepEqual(client, {
      id: 11,
      name: 'Fabrikam',
      website: null,
      inactive: false,
      azure_tenants: [{ id: 4, azure_tenant_id: B, azure_tenant_name: 'F' }],
    });
    const [user] = usersFromList([
      {
        id: '5.0',
        client_id: 11,
        site_id: 0,
        name: 'Ann',
        emailaddress: null,
        azureoid: null,
        inactive: 'True',
        customfields: [{ id: 1, name: 'CFM365SyncKeepActive', value: 2, display: 'Y' }],
      },
    ]);
    assert.deepEqual(user, {
      id: 5,
      client_id: 11,
      name: 'Ann',
      emailaddress: '',
      azureoid: '',
      inactive: true,
      customfields: [{ name: 'CFM365SyncKeepActive', value: '2', display: 'Y' }],
    });
    assert.throws(() => usersFromList([{ id: 1.5, client_id: 11 }]), /\$\[0\]\.id: must be an integer/);
    assert.deepEqual(
      withAzureMappings(
        [client!],
        [
          { azure_tenant_id: A, azure_tenant_name: 'C', client_id: 11 },
          { azure_tenant_id: B, client_id: 11 },
        ],
      )[0]!.azure_tenants.length,
      2,
    );
  });

  it('maps SQL report rows: one site per id, the invoice site as main site, the keep-active column', () => {
    const snapshot = haloSnapshotFromReports({
      clients: [{ id: 11, name: 'F', website: null, inactive: false, azure_tenants: [] }],
      siteRows: [
        { id: 110, client_id: 11, is_invoice_site: 1, line1: '' },
        { id: 110, client_id: 11, is_invoice_site: 1, line1: '1 Main Street' },
        { id: 111, client_id: 11, is_invoice_site: 0, line1: null },
      ],
      userRows: [
        {
          id: 5,
          client_id: 11,
          site_id: 110,
          name: 'Ann',
          emailaddress: 'ann@f.com',
          azureoid: null,
          inactive: false,
          keep_active: 'Y',
        },
      ],
      keepActiveField: 'CFM365SyncKeepActive',
    });
    assert.equal(snapshot.clients[0]!.main_site_id, 110);
    assert.deepEqual(snapshot.sites, [
      { id: 110, client_id: 11, line1: '1 Main Street' },
      { id: 111, client_id: 11 },
    ]);
    assert.deepEqual(snapshot.users[0]!.customfields, [{ name: 'CFM365SyncKeepActive', value: 'Y' }]);
    assert.equal(snapshot.users[0]!.firstname, undefined);
    assert.match(usersReport('M365SyncKeepActive').sql, /CFM365SyncKeepActive AS keep_active FROM USERS$/);
    assert.match(HALO_SYNC_REPORTS.sites.sql, /ADDRESSSTORE/);
    assert.throws(() => keepActiveColumn('x; DROP TABLE USERS'), /not a plain SQL identifier/);
  });
});
