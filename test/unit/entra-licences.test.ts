import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LicencePlanInput, planLicences } from '../../shared/sync/entra/licences/plan';
import { skuName } from '../../shared/sync/entra/licences/skuNames';

const TENANT = '11111111-1111-4111-8111-111111111111';
const SPB = 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46';
const EXO = '4b9405b0-7788-4568-add1-99614e613b69';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';

function input(overrides: Partial<LicencePlanInput> = {}): LicencePlanInput {
  return {
    tenantId: TENANT,
    settings: { clientId: 7, names: {}, linkUsers: true, manageFromHalo: false },
    skus: [
      { skuId: SPB, skuPartNumber: 'SPB', appliesTo: 'User', enabledUnits: 25, consumedUnits: 20 },
      { skuId: EXO, skuPartNumber: 'EXCHANGESTANDARD', appliesTo: 'User', enabledUnits: 5, consumedUnits: 1 },
    ],
    haloLicences: [
      {
        id: 50,
        name: 'Business Premium',
        client_id: 7,
        product_sku: 'SPB',
        vendor_product_sku: SPB,
        count: 25,
        licences_in_use: 20,
      },
      {
        id: 51,
        name: 'Exchange Online (Plan 1)',
        client_id: 7,
        product_sku: 'EXCHANGESTANDARD',
        vendor_product_sku: EXO,
        count: 5,
        licences_in_use: 1,
      },
    ],
    entraUsers: { [ALICE]: { upn: 'alice@contoso.com', skuIds: [SPB] } },
    haloUserOf: { [ALICE]: 900 },
    haloLinks: { '900': [50] },
    previous: { synced: { [ALICE]: [SPB] } },
    ...overrides,
  };
}

describe('Entra ID sync: licences (issue 11 item 9)', () => {
  it('subscriptions become Halo licences of the configured client, with Microsoft friendly names and seat counts', () => {
    const plan = planLicences(
      input({
        haloLicences: [],
        skus: [
          { skuId: SPB, skuPartNumber: 'SPB', appliesTo: 'User', enabledUnits: 25, consumedUnits: 20 },
          {
            skuId: 'c5b6b8e0-0000-4000-8000-00000000000c',
            skuPartNumber: 'TEAMS_ROOMS',
            appliesTo: 'Company',
            enabledUnits: 1,
            consumedUnits: 0,
          },
          { skuId: EXO, skuPartNumber: 'EXCHANGESTANDARD', appliesTo: 'User', enabledUnits: 5, consumedUnits: 1 },
        ],
        haloLinks: {},
        previous: undefined,
        settings: { clientId: 7, names: { EXCHANGESTANDARD: 'Exchange P1' }, linkUsers: true, manageFromHalo: false },
      }),
    );
    const creates = plan.changes.filter((c) => c.kind === 'createLicence');
    assert.deepEqual(
      creates.map((c) => c.body),
      [
        {
          name: 'Microsoft 365 Business Premium',
          client_id: 7,
          product_sku: 'SPB',
          vendor_product_sku: SPB,
          manufacturer: 'Microsoft',
          tenant_id: TENANT,
          count: 25,
          licences_in_use: 20,
        },
        {
          name: 'Exchange P1',
          client_id: 7,
          product_sku: 'EXCHANGESTANDARD',
          vendor_product_sku: EXO,
          manufacturer: 'Microsoft',
          tenant_id: TENANT,
          count: 5,
          licences_in_use: 1,
        },
      ],
      'a company-wide subscription (appliesTo Company) is not a user licence',
    );
    // Alice is linked to the licence the plan creates (resolved to its id just before the user batch is sent).
    const link = plan.changes.find((c) => c.kind === 'linkLicences');
    assert.deepEqual(link?.body, {
      id: 900,
      software: [{ licence_id: { $ref: 'licence', clientId: 7, skuId: SPB }, name: 'Microsoft 365 Business Premium' }],
    });
    assert.equal(skuName('SOMETHING_NEW', {}), 'SOMETHING_NEW', 'an unknown part number keeps its own name');
  });

  it('found by sku id, else by part number (a tie of two is reported, never used); seats follow Entra; a gone subscription is emptied', () => {
    const plan = planLicences(
      input({
        haloLicences: [
          { id: 50, name: 'My BP', client_id: 7, product_sku: 'SPB', count: 20, licences_in_use: 20 },
          { id: 51, name: 'EXO a', client_id: 7, product_sku: 'EXCHANGESTANDARD' },
          { id: 52, name: 'EXO b', client_id: 7, product_sku: 'EXCHANGESTANDARD' },
          {
            id: 53,
            name: 'Old E3',
            client_id: 7,
            product_sku: 'SPE_E3',
            vendor_product_sku: '05e9a617-0261-4cee-bb44-138d3ef5d965',
            count: 10,
            licences_in_use: 4,
          },
          { id: 60, name: 'Other client', client_id: 8, product_sku: 'SPB', vendor_product_sku: SPB },
        ],
        haloLinks: {},
      }),
    );
    const update = plan.changes.find((c) => c.kind === 'updateLicence' && c.licenceId === 50);
    assert.deepEqual(update?.body, { id: 50, vendor_product_sku: SPB, count: 25 }, 'the admin-given name is kept');
    assert.ok(plan.problems.some((p) => p.includes('2 Halo licences of client #7 have product SKU EXCHANGESTANDARD')));
    assert.ok(
      !plan.changes.some(
        (c) => c.kind !== 'linkLicences' && 'licenceId' in c && (c.licenceId === 51 || c.licenceId === 52),
      ),
    );
    const gone = plan.changes.find((c) => c.kind === 'updateLicence' && c.licenceId === 53);
    assert.deepEqual(gone?.body, { id: 53, count: 0, licences_in_use: 0 });
    assert.ok(
      !plan.changes.some((c) => 'licenceId' in c && c.licenceId === 60),
      'another client’s licence is not touched',
    );
  });

  it('nothing changed on either side: no change at all', () => {
    const plan = planLicences(input());
    assert.deepEqual(plan.changes, []);
    assert.deepEqual(plan.state, { synced: { [ALICE]: [SPB] } });
  });

  it('a licence assigned or removed in Entra: the Halo user follows (links are the whole list)', () => {
    const added = planLicences(input({ entraUsers: { [ALICE]: { upn: 'alice@contoso.com', skuIds: [SPB, EXO] } } }));
    assert.deepEqual(
      added.changes.map((c) => [c.kind, c.body]),
      [
        [
          'linkLicences',
          {
            id: 900,
            software: [
              { licence_id: 51, name: 'Exchange Online (Plan 1)' },
              { licence_id: 50, name: 'Business Premium' },
            ],
          },
        ],
      ],
    );
    assert.equal(added.log[0]?.outcome, 'licences changed in Entra: the Halo user follows');
    const removed = planLicences(input({ entraUsers: { [ALICE]: { upn: 'alice@contoso.com', skuIds: [] } } }));
    assert.deepEqual(
      removed.changes.map((c) => [c.kind, c.body]),
      [['linkLicences', { id: 900, software: [] }]],
    );
    assert.deepEqual(removed.state.synced[ALICE], []);
  });

  it('managed from Halo: a licence added or removed in Halo becomes one assignLicense in Entra', () => {
    const settings = { clientId: 7, names: {}, linkUsers: true, manageFromHalo: true };
    const added = planLicences(input({ settings, haloLinks: { '900': [50, 51] } }));
    assert.deepEqual(
      added.changes.map((c) => [c.kind, c.body]),
      [['assignLicence', { oid: ALICE, addLicenses: [{ skuId: EXO, disabledPlans: [] }], removeLicenses: [] }]],
    );
    assert.deepEqual(added.state.synced[ALICE], [EXO, SPB].sort(), 'stored as synced once applied');
    const removed = planLicences(input({ settings, haloLinks: { '900': [] } }));
    assert.deepEqual(
      removed.changes.map((c) => [c.kind, c.body]),
      [['assignLicence', { oid: ALICE, addLicenses: [], removeLicenses: [SPB] }]],
    );
    // Not managed from Halo: the same Halo change is put back to what Entra has.
    const reverted = planLicences(input({ haloLinks: { '900': [50, 51] } }));
    assert.deepEqual(
      reverted.changes.map((c) => c.kind),
      ['linkLicences'],
    );
  });

  it('each licence on its own: the side that changed wins; on a user’s first sync Entra is the reference', () => {
    const settings = { clientId: 7, names: {}, linkUsers: true, manageFromHalo: true };
    // Entra removed SPB (Halo follows) while Halo added EXO (Entra follows).
    const both = planLicences(
      input({
        settings,
        entraUsers: { [ALICE]: { upn: 'alice@contoso.com', skuIds: [] } },
        haloLinks: { '900': [50, 51] },
      }),
    );
    assert.deepEqual(
      both.changes.map((c) => [c.kind, c.body]),
      [
        ['assignLicence', { oid: ALICE, addLicenses: [{ skuId: EXO, disabledPlans: [] }], removeLicenses: [] }],
        ['linkLicences', { id: 900, software: [{ licence_id: 51, name: 'Exchange Online (Plan 1)' }] }],
      ],
    );
    const first = planLicences(input({ settings, previous: undefined, haloLinks: { '900': [51] } }));
    assert.deepEqual(
      first.changes.map((c) => c.kind),
      ['linkLicences'],
      'no Entra write on the first sync',
    );
  });

  it('a user with no known Halo user keeps its last state and gets no change', () => {
    const plan = planLicences(input({ haloUserOf: {}, entraUsers: { [ALICE]: { upn: 'a', skuIds: [SPB, EXO] } } }));
    assert.deepEqual(plan.changes, []);
    assert.deepEqual(plan.state.synced[ALICE], [SPB]);
  });
});
