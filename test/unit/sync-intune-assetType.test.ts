import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAssetType } from '../../shared/sync/intune';
import { asset, assetChanges, device, halo, intuneConfig, plan, TYPES } from './intune-fixtures';

const types = halo().assetTypes;
const rules = {
  from: 'rules',
  rules: [
    { name: 'phones', when: [{ field: 'operatingSystem', op: 'equals', value: 'iOS' }], typeId: TYPES.phone },
    {
      name: 'Surface',
      when: [
        { field: 'operatingSystem', op: 'equals', value: 'Windows' },
        { field: 'model', op: 'startsWith', value: 'surface' },
      ],
      typeId: TYPES.fallback,
    },
    { name: 'laptops', when: [{ field: 'operatingSystem', op: 'equals', value: 'windows' }], typeId: TYPES.laptop },
  ],
} as const;

describe('intune sync (2): asset types', () => {
  it('one type for all', () => {
    const decided = decideAssetType(device(), { from: 'single', typeId: TYPES.laptop }, types);
    assert.deepEqual(decided, { typeId: TYPES.laptop, typeName: 'Laptop', why: 'one type for every device' });
    assert.match(
      JSON.stringify(decideAssetType(device(), { from: 'single', typeId: 404 }, types)),
      /Halo has no asset type 404/,
    );
  });

  it('rules: the first rule whose criteria all hold wins; none and no default = skipped, with the reason', () => {
    const config = intuneConfig({ assetType: rules });
    const phone = device({ operatingSystem: 'iOS', model: 'iPhone 15' });
    const surface = device({ operatingSystem: 'Windows', model: 'Surface Laptop 5' });
    const laptop = device({ operatingSystem: 'Windows', model: 'Latitude 5440' });
    const mac = device({ operatingSystem: 'macOS' });
    const p = plan({ devices: [phone, surface, laptop, mac], config });
    const typeOf = (d: typeof phone) => assetChanges(p).find((c) => c.device?.id === d.id)?.body.assettype_id;
    assert.equal(typeOf(phone), TYPES.phone);
    assert.equal(typeOf(surface), TYPES.fallback, 'the more specific rule comes first and wins');
    assert.equal(typeOf(laptop), TYPES.laptop);
    assert.equal(typeOf(mac), undefined);
    assert.match(p.skipped.find((s) => s.device.id === mac.id)!.reason, /no asset type rule matched/);
    const withDefault = plan({
      devices: [mac],
      config: intuneConfig({ assetType: { ...rules, defaultTypeId: TYPES.fallback } }),
    });
    assert.equal(assetChanges(withDefault)[0]!.body.assettype_id, TYPES.fallback);
    assert.match(assetChanges(withDefault)[0]!.details[0]!, /no rule matched: the default type/);
  });

  it('rules: every criterion operator', () => {
    const d = device({ deviceName: 'KIOSK-07', osVersion: '', model: 'Surface Go' });
    const check = (op: string, field: string, value?: string) =>
      'typeId' in
      decideAssetType(
        d,
        {
          from: 'rules',
          rules: [{ when: [{ field, op, ...(value !== undefined ? { value } : {}) } as never], typeId: 1 }],
        },
        types,
      );
    assert.ok(check('contains', 'deviceName', 'osk'));
    assert.ok(check('endsWith', 'deviceName', '-07'));
    assert.ok(check('notEquals', 'deviceName', 'x'));
    assert.ok(check('matches', 'deviceName', '^kiosk-\\d+$'));
    assert.ok(check('isEmpty', 'osVersion'));
    assert.ok(check('isNotEmpty', 'model'));
    assert.ok(!check('equals', 'deviceName', 'KIOSK'));
  });

  it('from a device field: the type with exactly that name; a missing one is created once under the configured group', () => {
    const config = intuneConfig({ assetType: { from: 'field', field: 'model', assetGroupId: 7 } });
    const a = device({ model: 'Mobile Phone' });
    const b = device({ model: 'Surface Pro 9' });
    const c = device({ model: 'Surface Pro 9' });
    const lower = device({ model: 'mobile phone' });
    const p = plan({ devices: [a, b, c, lower], config });
    const creates = p.changes.filter((x) => x.kind === 'createAssetType');
    assert.deepEqual(
      creates.map((x) => x.body),
      [
        { name: 'Surface Pro 9', assetgroup_id: 7 },
        { name: 'mobile phone', assetgroup_id: 7 },
      ],
      'names must be identical to match, so "mobile phone" is a new type; each created once',
    );
    assert.equal(p.changes[0]!.kind, 'createAssetType', 'types come before the assets that use them');
    const byDevice = (d: typeof a) => assetChanges(p).find((x) => x.device?.id === d.id)!;
    assert.equal(byDevice(a).body.assettype_id, TYPES.phone);
    assert.equal(byDevice(b).body.assettype_id, undefined);
    assert.deepEqual(byDevice(b).refs, { typeName: 'Surface Pro 9' });
    const empty = plan({ devices: [device({ model: '' })], config });
    assert.match(empty.skipped[0]!.reason, /model is empty and assetType.defaultTypeId is not set/);
  });

  it('an existing asset changes type when the rule says so, unless neverUpdateType', () => {
    const d = device({ operatingSystem: 'iOS' });
    const existing = asset({
      id: 4,
      intune_id: d.id,
      assettype_id: TYPES.laptop,
      assettype_name: 'Laptop',
      inventory_number: d.values.deviceName as string,
      key_field: 'Latitude 5440',
      fields: [{ id: 5, value: d.values.serialNumber as string }],
      users: [501],
      site_id: 101,
    });
    const changed = plan({ devices: [d], assets: [existing], config: intuneConfig({ assetType: rules }) });
    assert.equal(assetChanges(changed)[0]!.body.assettype_id, TYPES.phone);
    assert.match(assetChanges(changed)[0]!.details.join('\n'), /type Laptop → Mobile Phone: rule "phones"/);
    const kept = plan({
      devices: [d],
      assets: [existing],
      config: intuneConfig({ assetType: rules, neverUpdateType: true }),
    });
    assert.deepEqual(assetChanges(kept), [], 'nothing else differs, so nothing is written');
  });
});
