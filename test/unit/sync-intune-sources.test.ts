import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { devicesNeedingDetails, rotationSlot } from '../../shared/sync/intune';
import { deviceOf } from '../../shared/sync/intune/graphDevices';
import { listSelect } from '../../shared/sync/intune/planSource';
import { asset, assetChanges, device, intuneConfig, NOW, plan, RAM_FIELD, SERIAL_FIELD } from './intune-fixtures';

const withMemory = () =>
  intuneConfig({
    fields: [
      { from: 'deviceName', to: { property: 'inventory_number' } },
      { from: 'serialNumber', to: { field: SERIAL_FIELD } },
      { from: 'physicalMemoryInBytes', to: { field: RAM_FIELD }, format: 'gigabytes' },
    ],
  });

describe('intune sync (1): sources', () => {
  it('leaves out devices managed by Defender only (managementAgent msSense), and says so', () => {
    const laptop = device();
    const sensor = device({ managementAgent: 'msSense', deviceName: 'DEFENDER-ONLY' });
    const p = plan({ devices: [laptop, sensor] });
    assert.deepEqual(
      assetChanges(p).map((c) => c.device?.name),
      [laptop.values.deviceName],
    );
    assert.equal(p.devices.excludedDefender, 1);
    const skipped = p.skipped.find((s) => s.device.name === 'DEFENDER-ONLY');
    assert.equal(skipped?.category, 'excluded');
    assert.match(skipped!.reason, /msSense/);
  });

  it('keeps Defender-managed devices when the option is off', () => {
    const sensor = device({ managementAgent: 'msSense' });
    const p = plan({ devices: [sensor], config: intuneConfig({ devices: { excludeDefenderManaged: false } }) });
    assert.equal(assetChanges(p).length, 1);
    assert.equal(p.devices.excludedDefender, 0);
  });

  it('an excluded device still holds its asset: it is never marked deleted', () => {
    const sensor = device({ managementAgent: 'msSense' });
    const p = plan({ devices: [sensor], assets: [asset({ id: 3, intune_id: sensor.id })] });
    assert.deepEqual(assetChanges(p), []);
  });

  it('$selects what mappings, type rules and matching read, never the list placeholders', () => {
    const config = intuneConfig({
      fields: [
        { from: 'deviceName', to: { property: 'inventory_number' } },
        { from: 'physicalMemoryInBytes', to: { field: RAM_FIELD }, format: 'gigabytes' },
        { from: 'osVersion', to: { property: 'key_field2' } },
      ],
      assetType: {
        from: 'rules',
        rules: [{ when: [{ field: 'deviceCategoryDisplayName', op: 'equals', value: 'Kiosk' }], typeId: 1 }],
      },
    });
    const select = listSelect(config);
    for (const field of [
      'id',
      'serialNumber',
      'managementAgent',
      'lastSyncDateTime',
      'osVersion',
      'deviceCategoryDisplayName',
    ])
      assert.ok(select.includes(field as never), field);
    assert.ok(!select.includes('physicalMemoryInBytes'));
  });

  it('reads placeholder fields per device only for new devices, assets lacking the value, and a rotating share', () => {
    const config = withMemory();
    const known = Array.from({ length: 70 }, () => device());
    const fresh = device();
    const lacking = device();
    const assets = [
      ...known.map((d, i) => asset({ id: 100 + i, intune_id: d.id, fields: [{ id: RAM_FIELD.id, value: '16' }] })),
      asset({ id: 99, intune_id: lacking.id, fields: [{ id: RAM_FIELD.id, value: '' }] }),
    ];
    const picked = devicesNeedingDetails({
      devices: [...known, fresh, lacking],
      assets,
      mappings: config.fields,
      refreshDays: 7,
      now: NOW,
    });
    assert.ok(picked.includes(fresh.id), 'a new device');
    assert.ok(picked.includes(lacking.id), 'an asset without the value');
    const rotated = picked.filter((id) => id !== fresh.id && id !== lacking.id);
    const today = Math.floor(NOW.getTime() / 86_400_000) % 7;
    assert.deepEqual(
      rotated.sort(),
      known
        .filter((d) => rotationSlot(d.id, 7) === today)
        .map((d) => d.id)
        .sort(),
    );
    assert.ok(rotated.length > 0 && rotated.length < known.length / 3, `a share of the fleet, got ${rotated.length}`);
    assert.deepEqual(
      devicesNeedingDetails({ devices: known, assets, mappings: intuneConfig().fields, refreshDays: 7, now: NOW }),
      [],
      'no placeholder field mapped: no per-device read at all',
    );
  });

  it('a placeholder field is taken from the per-device read, never from the list (where it is 0)', () => {
    const d = device({ physicalMemoryInBytes: 0 });
    const config = withMemory();
    const fromList = plan({ devices: [d], config });
    assert.ok(!assetChanges(fromList)[0]!.body.fields!.some((f) => f.id === RAM_FIELD.id), 'no 0 GB written');
    const read = plan({ devices: [d], config, details: new Map([[d.id, { physicalMemoryInBytes: 17179869184 }]]) });
    assert.deepEqual(
      assetChanges(read)[0]!.body.fields!.find((f) => f.id === RAM_FIELD.id),
      { id: RAM_FIELD.id, value: '16' },
    );
  });

  it('reads a Graph item tolerantly: scalars kept, odd shapes dropped, no id = unreadable', () => {
    const read = deviceOf({
      id: 'x1',
      deviceName: 'PC',
      isEncrypted: true,
      totalStorageSpaceInBytes: 5,
      deviceActionResults: [{}],
      unknown: 'y',
    });
    assert.deepEqual(read, {
      id: 'x1',
      values: { id: 'x1', deviceName: 'PC', isEncrypted: true, totalStorageSpaceInBytes: 5 },
    });
    assert.deepEqual(deviceOf({ deviceName: 'no id' }), { reason: 'no id' });
    assert.deepEqual(deviceOf('text'), { reason: 'not an object' });
  });
});
