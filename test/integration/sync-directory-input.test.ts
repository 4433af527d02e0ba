import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import type { SkippedItem } from '../../shared/graph';
import { contactEmails } from '../../shared/sync/contacts/contactFields';
import { GRAPH_USER_SELECT, tenantSnapshotFromGraph } from '../../shared/sync/contacts/graphInput';
import { planTenant } from '../../shared/sync/contacts/plan';
import { PARTNER, simulatorGraph } from '../support/graph';
import { client, config, halo } from '../unit/sync-fixtures';

const FABRIKAM = '22222222-2222-4222-8222-222222222222';
const SKU = 'f245ecc8-75af-4f8e-b61f-27d8114de5f3';

// Directory data as Entra ID really holds it, through the real adapter and the simulator over HTTPS. Each of these
// used to fail the whole tenant, or put a guest or a stray character into Halo.
describe('tenant sync: directory input as it is', () => {
  let sim: GraphSimulator;
  before(async () => {
    sim = await startGraphSimulator();
    const users = [
      // A B2B guest: #EXT# UPN, licensed, with a messy mail value.
      {
        id: 'guest-1',
        displayName: 'Vendor Rep',
        userPrincipalName: 'vendor.rep_partner.example#EXT#@fabrikam.onmicrosoft.com',
        mail: ' vendor.rep@partner.example ',
        userType: 'Guest',
        accountEnabled: true,
        proxyAddresses: [],
        assignedLicenses: [{ skuId: SKU.toUpperCase() }],
      },
      // A member whose mail carries a zero-width space; the primary SMTP address is clean.
      {
        id: 'member-1',
        displayName: 'Nina Member',
        userPrincipalName: 'nina@fabrikam.com',
        mail: 'nina.m@fabrikam.com\u200b',
        userType: 'Member',
        accountEnabled: 'true',
        proxyAddresses: ['smtp:nina@fabrikam.onmicrosoft.com', 'SMTP: Nina.M@fabrikam.com '],
        assignedLicenses: [{ skuId: SKU.toUpperCase() }],
      },
      // Rows Graph should never send, and sometimes does: no UPN, a UPN of the wrong type.
      { id: 'broken-1', displayName: 'No UPN', accountEnabled: true },
      { id: 'broken-2', userPrincipalName: 42 },
    ];
    for (const user of users) sim.store.upsertUser(FABRIKAM, user);
    // A row without an id at all, stored under a key of its own.
    sim.store.tenant(FABRIKAM)!.users.set('no-id', { displayName: 'Ghost', userPrincipalName: 'ghost@fabrikam.com' });
    // A domain someone added but never verified (Graph then says isVerified: false, or leaves it out).
    sim.store.tenant(FABRIKAM)!.domains.push({ id: 'fabrikam-lookalike.example', isDefault: false });
    delete sim.store.tenant(FABRIKAM)!.domains.at(-1)!.isVerified;
  });
  after(async () => {
    await sim.stop();
  });

  it('reads the tenant row by row: bad rows left out and reported, guests not contacts, clean addresses, verified domains only', async () => {
    const graph = simulatorGraph(sim).forTenant(FABRIKAM);
    const skipped: SkippedItem[] = [];
    const [domains, users] = await Promise.all([
      graph.listDomains(),
      graph.listUsers({ select: GRAPH_USER_SELECT, onSkipped: (row) => skipped.push(row) }),
    ]);
    assert.deepEqual(
      skipped.map((s) => [s.id, s.reason]),
      [
        ['broken-2', 'userPrincipalName: Invalid input: expected string, received number'],
        [undefined, 'id: Invalid input: expected string, received undefined'],
      ],
      'the adapter leaves out the rows it cannot read',
    );
    const snapshot = tenantSnapshotFromGraph({
      tenantId: FABRIKAM,
      displayName: 'Fabrikam Inc',
      domains,
      users,
      skippedRows: skipped,
    });
    assert.deepEqual(
      (snapshot.skippedUsers ?? []).map((s) => s.userPrincipalName).sort(),
      ['(user broken-1)', '(user broken-2)', `(user row ${skipped[1]!.index})`].sort(),
    );
    assert.ok(!snapshot.verifiedDomains.includes('fabrikam-lookalike.example'), 'an unverified domain never matches');

    const nina = snapshot.users.find((u) => u.id === 'member-1')!;
    assert.equal(nina.accountEnabled, true, '"true" read as true');
    assert.deepEqual(contactEmails(nina), { emailaddress: 'Nina.M@fabrikam.com', email2: 'nina@fabrikam.com' });

    const fabrikam = client(11, {
      name: 'Fabrikam, Inc.',
      azure_tenants: [{ azure_tenant_id: FABRIKAM }],
      main_site_id: 110,
    });
    const plan = planTenant(snapshot, { ...halo(), clients: [fabrikam] }, config());
    const created = plan.changes.filter((c) => c.kind === 'createContact').map((c) => JSON.stringify(c));
    assert.ok(!created.some((c) => c.includes('vendor.rep')), 'the guest is not created as a contact');
    assert.ok(
      created.some((c) => c.includes('"emailaddress":"Nina.M@fabrikam.com"')),
      created.join('\n'),
    );
    assert.ok(!created.some((c) => c.includes('\u200b')), 'no invisible character reaches Halo');
    const reasons = plan.skippedUsers.map((s) => `${s.userPrincipalName}: ${s.reason}`);
    assert.ok(
      reasons.some((r) => /#EXT#.*absent: a guest \(B2B\) account/.test(r)),
      reasons.join('\n'),
    );
    assert.ok(reasons.some((r) => /\(user broken-1\): unreadable, left out: .*userPrincipalName/.test(r)));

    const withGuests = planTenant(
      snapshot,
      { ...halo(), clients: [fabrikam] },
      config({ contacts: { includeGuests: true } }),
    );
    const guest = withGuests.changes.find((c) => c.kind === 'createContact' && JSON.stringify(c).includes('vendor'));
    assert.ok(guest, 'with includeGuests the guest is created');
    assert.match(JSON.stringify(guest), /"emailaddress":"vendor\.rep@partner\.example"/, 'its mail, trimmed');
  });

  it('customer tenants: a contract or GDAP row without a GUID tenant id is left out, the others are listed', async () => {
    const partner = sim.store.tenant(PARTNER)!;
    sim.store.tenants.set('typo', { ...sim.store.tenant(FABRIKAM)!, id: 'typo', displayName: 'Typo Ltd' });
    partner.customers.push('typo');
    const home = simulatorGraph(sim).home();
    const skipped: SkippedItem[] = [];
    const contracts = await home.listContracts({ onSkipped: (row) => skipped.push(row) });
    const customers = await home.listDelegatedAdminCustomers({ onSkipped: (row) => skipped.push(row) });
    assert.ok(contracts.some((c) => c.customerId === FABRIKAM));
    assert.ok(!contracts.some((c) => c.customerId === 'typo'));
    assert.ok(!customers.some((c) => c.tenantId === 'typo'));
    assert.deepEqual(
      skipped.map((s) => s.reason),
      ['customerId: must be a tenant id (GUID)', 'tenantId: must be a tenant id (GUID)'],
    );
  });
});
