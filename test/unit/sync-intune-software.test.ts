import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { licenceIndex, planSoftware } from '../../shared/sync/intune';
import { asset, assetChanges, CLIENT, device, halo, intuneConfig, plan, SERIAL_FIELD } from './intune-fixtures';

const d = device();
const apps = [
  { name: ' Google Chrome ', version: '122.0' },
  { name: 'Microsoft 365 Apps', version: '16.0' },
  { name: 'Zoom Workplace', version: '6.1' },
  { name: 'google chrome', version: '122.0' },
];
const licences = [
  { id: 70, name: 'GOOGLE CHROME', client_id: 0 },
  { id: 71, name: 'Microsoft 365 Apps', client_id: 11 },
  { id: 72, name: 'microsoft 365 apps ', client_id: CLIENT },
];
const existing = () =>
  asset({
    id: 9,
    intune_id: d.id,
    site_id: 101,
    users: [501],
    inventory_number: d.values.deviceName as string,
    key_field: 'Latitude 5440',
    fields: [{ id: SERIAL_FIELD.id, value: d.values.serialNumber as string }],
  });
const software = (list = apps) => new Map([[d.id.toLowerCase(), list]]);

describe('intune sync (6): software', () => {
  it('matches apps to licences by name (case-insensitive, trimmed): the company’s own first, then shared ones', () => {
    const planned = planSoftware(apps, licenceIndex(licences, CLIENT), false);
    assert.deepEqual(planned.entries, [
      { name: 'Google Chrome', version: '122.0', licence_id: 70 },
      { name: 'Microsoft 365 Apps', version: '16.0', licence_id: 72 },
      { name: 'Zoom Workplace', version: '6.1' },
    ]);
    assert.deepEqual(planned.pendingLicences, []);
  });

  it('a new asset gets its software; an app without a licence is listed without one', () => {
    const [change] = assetChanges(plan({ devices: [d], software: software(), halo: halo({ licences }) }));
    assert.equal(change!.body.software?.length, 3);
    assert.match(change!.details.join('\n'), /software: 3 app\(s\), 2 matched to a licence/);
  });

  it('optionally creates the missing licences once, for the company, before the assets that name them', () => {
    const other = device();
    const both = new Map([
      [d.id.toLowerCase(), apps],
      [other.id.toLowerCase(), [{ name: 'zoom workplace', version: '6.2' }]],
    ]);
    const p = plan({
      devices: [d, other],
      software: both,
      halo: halo({ licences }),
      config: intuneConfig({ software: { createMissingLicences: true } }),
    });
    const creates = p.changes.filter((c) => c.kind === 'createLicence');
    assert.equal(creates.length, 1);
    assert.deepEqual(creates[0]!.body, { name: 'Zoom Workplace', client_id: CLIENT });
    const firstAsset = p.changes.findIndex((c) => c.resource === '/Asset');
    assert.ok(p.changes.indexOf(creates[0]!) < firstAsset);
    for (const change of assetChanges(p)) assert.deepEqual(change.refs?.licences, ['zoom workplace']);
  });

  it('software unchanged since the last write is not sent again; a new version is', () => {
    const first = plan({ devices: [d], assets: [existing()], software: software(), halo: halo({ licences }) });
    assert.equal(assetChanges(first).length, 1, 'never written before: written');
    const state = { version: 1 as const, software: first.state.software, users: {} };
    const again = plan({
      devices: [d],
      assets: [existing()],
      software: software([...apps].reverse()),
      halo: halo({ licences }),
      state,
    });
    assert.deepEqual(assetChanges(again), [], 'the same apps in another order are no change');
    const updated = plan({
      devices: [d],
      assets: [existing()],
      software: software([...apps, { name: 'Zoom Workplace', version: '6.2' }]),
      halo: halo({ licences }),
      state,
    });
    assert.equal(assetChanges(updated)[0]!.body.software?.length, 4);
    assert.notEqual(updated.state.software[d.id.toLowerCase()], state.software[d.id.toLowerCase()]);
  });

  it('software off, or not read this run: the asset’s software is left as it is', () => {
    assert.equal(assetChanges(plan({ devices: [d] }))[0]!.body.software, undefined);
    const off = plan({ devices: [d], software: software(), config: intuneConfig({ software: { enabled: false } }) });
    assert.equal(assetChanges(off)[0]!.body.software, undefined);
  });
});
