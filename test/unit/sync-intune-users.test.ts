import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asset, assetChanges, device, halo, intuneConfig, plan, SERIAL_FIELD } from './intune-fixtures';

const adele = device({ userPrincipalName: 'Adele@Contoso.com', emailAddress: 'adele@contoso.com' });
const linkedAsset = (extra = {}) =>
  asset({
    id: 8,
    intune_id: adele.id,
    site_id: 101,
    users: [501],
    inventory_number: adele.values.deviceName as string,
    key_field: 'Latitude 5440',
    fields: [{ id: SERIAL_FIELD.id, value: adele.values.serialNumber as string }],
    ...extra,
  });

describe('intune sync (5): users and sites', () => {
  it('links the Halo user of the company found by UPN (case-insensitive), and puts a new asset on their site', () => {
    const [change] = assetChanges(plan({ devices: [adele] }));
    assert.deepEqual(change!.body.users, [{ id: 501 }], 'not the Fabrikam user with the same address');
    assert.equal(change!.body.site_id, 101);
  });

  it('by Entra object id or by email address, as configured', () => {
    const byOid = device({
      userPrincipalName: 'someone-else@contoso.com',
      userId: 'AAAAAAAA-0000-4000-8000-000000000001',
    });
    const oid = plan({ devices: [byOid], config: intuneConfig({ users: { identifier: 'entraObjectId' } }) });
    assert.deepEqual(assetChanges(oid)[0]!.body.users, [{ id: 501 }]);
    const byMail = device({
      userPrincipalName: 'x@contoso.onmicrosoft.com',
      emailAddress: 'alex@contoso.com; other@x.com',
    });
    const mail = plan({ devices: [byMail], config: intuneConfig({ users: { identifier: 'email' } }) });
    assert.deepEqual(assetChanges(mail)[0]!.body.users, [{ id: 502 }]);
  });

  it('two Halo users with the address are a tie: nobody is linked, and the plan says why', () => {
    const users = [...halo().users, { ...halo().users[0]!, id: 599, name: 'Adele (duplicate)' }];
    const [change] = assetChanges(plan({ devices: [adele], halo: halo({ users }) }));
    assert.equal(change!.body.users, undefined);
    assert.match(
      change!.details.join('\n'),
      /matches 2 Halo users: "Adele Vance" \(#501\) and "Adele \(duplicate\)" \(#599\)/,
    );
  });

  it('an inactive Halo user is not linked', () => {
    const users = halo().users.map((u) => (u.id === 501 ? { ...u, inactive: true } : u));
    assert.equal(assetChanges(plan({ devices: [adele], halo: halo({ users }) }))[0]!.body.users, undefined);
  });

  it('re-links an existing asset when the device changed hands; leaves it when nobody matches, unless unlinking', () => {
    const toAlex = { ...adele, values: { ...adele.values, userPrincipalName: 'alex@contoso.com' } };
    const [moved] = assetChanges(plan({ devices: [toAlex], assets: [linkedAsset()] }));
    assert.deepEqual(moved!.body.users, [{ id: 502 }]);
    assert.equal(moved!.body.site_id, 100, "userSite: the asset follows its user to the user's site");
    const stranger = { ...adele, values: { ...adele.values, userPrincipalName: 'contractor@partner.example' } };
    assert.deepEqual(assetChanges(plan({ devices: [stranger], assets: [linkedAsset()] })), [], 'left linked');
    const [unlinked] = assetChanges(
      plan({
        devices: [stranger],
        assets: [linkedAsset()],
        config: intuneConfig({ users: { unlinkWhenNoMatch: true } }),
      }),
    );
    assert.deepEqual(unlinked!.body.users, []);
    assert.match(unlinked!.details.join('\n'), /user unlinked: no active Halo user of the company has UPN/);
  });

  it('when Halo list rows carry no users, what was last written decides (no write every run)', () => {
    const noUsers = linkedAsset();
    delete noUsers.users;
    const first = plan({ devices: [adele], assets: [noUsers] });
    assert.deepEqual(assetChanges(first)[0]!.body.users, [{ id: 501 }], 'unknown: written once');
    assert.deepEqual(first.state.users, { [adele.id.toLowerCase()]: '501' });
    const state = { version: 1 as const, software: {}, users: first.state.users };
    assert.deepEqual(assetChanges(plan({ devices: [adele], assets: [noUsers], state })), []);
  });

  it('sites: a device without a user goes to the default site (configured, else the main site); defaultSite never moves assets', () => {
    const nobody = device({ userPrincipalName: '' });
    assert.equal(assetChanges(plan({ devices: [nobody] }))[0]!.body.site_id, 100, 'the main site');
    const configured = intuneConfig({ sites: { defaultSiteId: 101 } });
    assert.equal(assetChanges(plan({ devices: [nobody], config: configured }))[0]!.body.site_id, 101);
    const foreign = intuneConfig({ sites: { defaultSiteId: 110 } });
    assert.equal(
      assetChanges(plan({ devices: [nobody], config: foreign }))[0]!.body.site_id,
      100,
      "another company's site is never used",
    );
    const fixed = intuneConfig({ sites: { allocation: 'defaultSite' } });
    assert.equal(assetChanges(plan({ devices: [adele], config: fixed }))[0]!.body.site_id, 100, 'not the user’s site');
    const toAlex = { ...adele, values: { ...adele.values, userPrincipalName: 'alex@contoso.com' } };
    const [relinked] = assetChanges(plan({ devices: [toAlex], assets: [linkedAsset()], config: fixed }));
    assert.equal(relinked!.body.site_id, undefined, 'an existing asset stays where it is');
  });

  it('a company without any site: the device is skipped with the reason', () => {
    const p = plan({ devices: [device({ userPrincipalName: '' })], halo: halo({ sites: [] }) });
    const noMain = halo();
    noMain.clients = noMain.clients.map((c) => ({ ...c, main_site_id: undefined }));
    noMain.sites = [];
    const q = plan({ devices: [device({ userPrincipalName: '' })], halo: noMain });
    assert.equal(assetChanges(p)[0]!.body.site_id, 100, 'the main site id from the company');
    assert.match(q.skipped[0]!.reason, /company "Contoso Ltd" has no site/);
  });
});
