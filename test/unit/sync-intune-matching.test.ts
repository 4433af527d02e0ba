import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_IGNORED_SERIAL_NUMBERS } from '../../shared/config/integration/intune';
import { identifierOf, ignoredSerials, matchAssets, matchKeys } from '../../shared/sync/intune';
import { asset, assetChanges, device, intuneConfig, plan, SERIAL_FIELD } from './intune-fixtures';

const config = intuneConfig({
  fields: [
    { from: 'deviceName', to: { property: 'inventory_number' } },
    { from: 'serialNumber', to: { field: SERIAL_FIELD } },
    { from: 'azureADDeviceId', to: { property: 'key_field3' } },
  ],
});
const options = {
  keys: matchKeys(config.matching, config.fields),
  mappings: config.fields,
  ignoredSerials: ignoredSerials(config.ignoredSerialNumbers),
};
const serialAsset = (id: number, serial: string, extra = {}) =>
  asset({ id, fields: [{ id: SERIAL_FIELD.id, value: serial }], ...extra });

describe('intune sync (4): matching existing assets', () => {
  it('tries the keys in order: Intune id, serial number, Entra device id, device name', () => {
    assert.deepEqual(options.keys, ['intuneId', 'serialNumber', 'azureADDeviceId', 'deviceName']);
    const byId = device({ serialNumber: 'SN-A' });
    const bySerial = device({ serialNumber: 'SN-B' });
    const byEntra = device({ serialNumber: '', azureADDeviceId: 'EEEEEEEE-0000-4000-8000-000000000001' });
    const byName = device({ serialNumber: 'System Serial Number', deviceName: 'Reception-PC' });
    const assets = [
      serialAsset(1, 'SN-OTHER', { intune_id: byId.id }),
      serialAsset(2, 'sn-b '),
      asset({ id: 3, key_field3: 'eeeeeeee-0000-4000-8000-000000000001' }),
      asset({ id: 4, inventory_number: 'RECEPTION-PC' }),
      serialAsset(5, 'SN-A'),
    ];
    const matches = matchAssets([byId, bySerial, byEntra, byName], assets, options);
    const summary = (d: typeof byId) => {
      const m = matches.get(d.id)!;
      return m.kind === 'matched' ? [m.by, m.asset.id] : [m.kind];
    };
    assert.deepEqual(summary(byId), ['intuneId', 1], 'the Intune id wins over a serial number on another asset');
    assert.deepEqual(summary(bySerial), ['serialNumber', 2], 'serials compare without case or spaces');
    assert.deepEqual(summary(byEntra), ['azureADDeviceId', 3]);
    assert.deepEqual(summary(byName), ['deviceName', 4], 'a placeholder serial is skipped, the name matches');
  });

  it('a value on two assets is a tie: reported, never a match, and no weaker key decides instead', () => {
    const d = device({ serialNumber: 'SN-DUP', deviceName: 'UNIQUE-NAME' });
    const p = plan({
      devices: [d],
      config,
      assets: [
        serialAsset(11, 'SN-DUP'),
        serialAsset(12, 'SN-DUP'),
        asset({ id: 13, inventory_number: 'UNIQUE-NAME' }),
      ],
    });
    assert.deepEqual(assetChanges(p), [], 'neither matched nor created');
    assert.equal(p.skipped[0]!.category, 'tie');
    assert.match(p.skipped[0]!.reason, /serial number "sn-dup" is on 2 assets \(#11 and #12\): a tie is never a match/);
  });

  it('placeholder serial numbers and the all-zero Entra id identify nothing', () => {
    const ignored = ignoredSerials(DEFAULT_IGNORED_SERIAL_NUMBERS);
    for (const junk of [
      '',
      ' ',
      '0',
      '000000',
      'System Serial Number',
      'To be filled by O.E.M.',
      'Default string',
      'default STRING',
      'XXXXXXXX',
    ]) {
      assert.equal(identifierOf('serialNumber', junk, ignored), '', junk);
    }
    assert.equal(identifierOf('serialNumber', ' PF3ABC12 ', ignored), 'pf3abc12');
    assert.equal(identifierOf('azureADDeviceId', '00000000-0000-0000-0000-000000000000', ignored), '');
    const a = device({ serialNumber: 'To be filled by O.E.M.', deviceName: 'A' });
    const b = device({ serialNumber: 'To be filled by O.E.M.', deviceName: 'B' });
    const p = plan({ devices: [a, b], config, assets: [serialAsset(21, 'To be filled by O.E.M.')] });
    assert.deepEqual(
      assetChanges(p).map((c) => c.kind),
      ['createAsset', 'createAsset'],
      'two devices with a placeholder serial are two new assets, not one matched asset',
    );
  });

  it('a device matched by a weaker key gets its Intune id linked, so the next run matches by id', () => {
    const d = device({ serialNumber: 'SN-77' });
    const [change] = assetChanges(
      plan({ devices: [d], config, assets: [serialAsset(31, 'SN-77', { intune_id: 'gone-device' })] }),
    );
    assert.equal(change!.assetId, 31);
    assert.equal(change!.body.intune_id, d.id);
    assert.match(change!.details.join('\n'), /intune_id: "gone-device" → ".*" \(matched by serial number "sn-77"\)/);
  });

  it('two Intune records of one machine: the one that synced last gets the asset, the other is a reported duplicate', () => {
    const stale = device({ serialNumber: 'SN-RE', lastSyncDateTime: '2024-11-01T00:00:00Z' });
    const fresh = device({ serialNumber: 'SN-RE', lastSyncDateTime: '2025-02-28T00:00:00Z' });
    const p = plan({ devices: [stale, fresh], config, assets: [serialAsset(41, 'SN-RE')] });
    assert.deepEqual(
      assetChanges(p).map((c) => [c.kind, c.device?.id]),
      [['updateAsset', fresh.id]],
    );
    assert.equal(p.skipped[0]!.category, 'duplicate');
    assert.equal(p.skipped[0]!.device.id, stale.id);
    const owned = device({ serialNumber: 'SN-OWN' });
    const copy = device({ serialNumber: 'SN-OWN' });
    const q = plan({ devices: [owned, copy], config, assets: [serialAsset(42, 'SN-OWN', { intune_id: owned.id })] });
    assert.equal(q.skipped.find((s) => s.device.id === copy.id)?.category, 'duplicate', 'no second asset for a copy');
    assert.ok(!assetChanges(q).some((c) => c.kind === 'createAsset'));
  });
});
