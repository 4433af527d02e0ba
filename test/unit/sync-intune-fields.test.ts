import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDeviceValue, sameValue } from '../../shared/sync/intune';
import {
  asset,
  assetChanges,
  COMPLIANCE_CF,
  device,
  intuneConfig,
  plan,
  RAM_FIELD,
  SERIAL_FIELD,
  STATUS,
} from './intune-fixtures';

const d = device({
  deviceName: 'CONTOSO-PC1',
  serialNumber: 'SN-1111-1',
  model: 'Latitude 5440',
  complianceState: 'compliant',
});
/** The asset as Halo has it after the last run, plus a field nobody maps (Halo must keep it). */
const inSync = () =>
  asset({
    id: 7,
    intune_id: d.id,
    site_id: 101,
    users: [501],
    inventory_number: 'CONTOSO-PC1',
    key_field: 'Latitude 5440',
    fields: [
      { id: SERIAL_FIELD.id, name: 'Serial Number', value: 'SN-1111-1' },
      { id: 77, name: 'Purchase order', value: 'PO-4471' },
    ],
    customfields: [{ id: COMPLIANCE_CF.id, value: 'compliant' }],
  });
const config = intuneConfig({
  fields: [
    { from: 'deviceName', to: { property: 'inventory_number' } },
    { from: 'model', to: { property: 'key_field' } },
    { from: 'serialNumber', to: { field: SERIAL_FIELD } },
    { from: 'complianceState', to: { customField: COMPLIANCE_CF } },
  ],
});

describe('intune sync (3): field mappings', () => {
  it('nothing to write when Halo already has every mapped value', () => {
    assert.deepEqual(assetChanges(plan({ devices: [d], assets: [inSync()], config })), []);
  });

  it('a change re-sends the whole fields array: every mapped field and every field nobody maps', () => {
    const moved = { ...d, values: { ...d.values, serialNumber: 'SN-REPLACED' } };
    const [change] = assetChanges(plan({ devices: [moved], assets: [inSync()], config }));
    assert.equal(change!.kind, 'updateAsset');
    assert.deepEqual(change!.body.fields, [
      { id: SERIAL_FIELD.id, value: 'SN-REPLACED' },
      { id: 77, value: 'PO-4471' },
    ]);
    assert.match(change!.details.join('\n'), /field "Serial Number" #5: "SN-1111-1" → "SN-REPLACED"/);
  });

  it('a write for another reason (a status) still re-sends every field as it is', () => {
    const retired = inSync();
    retired.status_id = STATUS.retired;
    const [change] = assetChanges(plan({ devices: [d], assets: [retired], config }));
    assert.equal(change!.kind, 'recoverAsset');
    assert.deepEqual(change!.body.fields, [
      { id: SERIAL_FIELD.id, value: 'SN-1111-1' },
      { id: 77, value: 'PO-4471' },
    ]);
    assert.deepEqual(change!.body.customfields, [{ id: COMPLIANCE_CF.id, value: 'compliant' }]);
  });

  it('properties are sent only when they differ; custom fields by id', () => {
    const renamed = { ...d, values: { ...d.values, deviceName: 'CONTOSO-PC1-NEW', complianceState: 'noncompliant' } };
    const [change] = assetChanges(plan({ devices: [renamed], assets: [inSync()], config }));
    assert.equal(change!.body.inventory_number, 'CONTOSO-PC1-NEW');
    assert.equal(change!.body.key_field, undefined);
    assert.deepEqual(change!.body.customfields, [{ id: COMPLIANCE_CF.id, value: 'noncompliant' }]);
  });

  it('an empty device value leaves Halo alone; fields not read from Halo are never written (they would be wiped)', () => {
    const blank = { ...d, values: { ...d.values, model: null, serialNumber: '' } };
    assert.deepEqual(assetChanges(plan({ devices: [blank], assets: [inSync()], config })), []);
    const unread = inSync();
    delete unread.fields;
    const moved = { ...d, values: { ...d.values, serialNumber: 'SN-X', deviceName: 'RENAMED' } };
    const [change] = assetChanges(plan({ devices: [moved], assets: [unread], config }));
    assert.equal(change!.body.fields, undefined);
    assert.equal(change!.body.inventory_number, 'RENAMED');
  });

  it('formats: gigabytes and dates; equal values in another spelling are not a change', () => {
    assert.equal(formatDeviceValue(17179869184, 'gigabytes'), '16');
    assert.equal(formatDeviceValue(8_000_000_000, 'gigabytes'), '7.5');
    assert.equal(formatDeviceValue(0, 'gigabytes'), undefined);
    assert.equal(formatDeviceValue('2024-02-01T08:00:00Z', 'date'), '2024-02-01');
    assert.equal(formatDeviceValue('0001-01-01T00:00:00Z', 'text'), undefined);
    assert.equal(formatDeviceValue(true, 'text'), 'true');
    assert.ok(sameValue('True', 'true'));
    assert.ok(sameValue('16.0', '16'));
    assert.ok(sameValue('2025-01-10T08:00:00', '2025-01-10T08:00:00Z'), 'Halo drops the Z');
    assert.ok(sameValue(' a ', 'a'));
    assert.ok(!sameValue('2025-01-10T08:00:00', '2025-01-10T09:00:00Z'));
    assert.ok(!sameValue('', '0'));
  });

  it('a mapping of storage to an asset field in GB', () => {
    const storage = intuneConfig({
      fields: [{ from: 'totalStorageSpaceInBytes', to: { field: RAM_FIELD }, format: 'gigabytes' }],
    });
    const [change] = assetChanges(
      plan({ devices: [device({ totalStorageSpaceInBytes: 255_012_864_000 })], config: storage }),
    );
    assert.deepEqual(change!.body.fields, [{ id: RAM_FIELD.id, value: '237.5' }]);
  });
});
