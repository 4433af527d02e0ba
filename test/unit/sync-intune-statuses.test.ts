import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInactive, nextState } from '../../shared/sync/intune';
import { asset, assetChanges, device, health, intuneConfig, NOW, plan, SERIAL_FIELD, STATUS } from './intune-fixtures';

const statuses = {
  newStatusId: STATUS.active,
  deletedStatusId: STATUS.retired,
  recoveredStatusId: STATUS.recovered,
  inactive: { afterDays: 30, statusId: STATUS.inactive },
};
const config = intuneConfig({ statuses });
const linked = (d: ReturnType<typeof device>, id: number, extra = {}) =>
  asset({
    id,
    intune_id: d.id,
    site_id: 101,
    users: [501],
    inventory_number: d.values.deviceName as string,
    key_field: 'Latitude 5440',
    fields: [{ id: SERIAL_FIELD.id, value: d.values.serialNumber as string }],
    ...extra,
  });
/** Ten devices that all have their asset, so a run with some missing is within (or beyond) the allowed drop. */
const fleet = Array.from({ length: 10 }, () => device());
const fleetAssets = fleet.map((d, i) => linked(d, 100 + i));

describe('intune sync (7): statuses', () => {
  it('a new asset gets the new status (or the inactive one, if it has not synced for N days)', () => {
    const fresh = device();
    const stale = device({ lastSyncDateTime: '2025-01-01T00:00:00Z' });
    const p = plan({ devices: [fresh, stale], config });
    assert.deepEqual(
      assetChanges(p).map((c) => c.body.status_id),
      [STATUS.active, STATUS.inactive],
    );
  });

  it('an asset whose device is gone from a complete list is marked deleted; every field re-sent', () => {
    const p = plan({ devices: fleet.slice(1), assets: fleetAssets, config });
    const [retire] = assetChanges(p);
    assert.equal(retire!.kind, 'retireAsset');
    assert.equal(retire!.assetId, 100);
    assert.equal(retire!.body.status_id, STATUS.retired);
    assert.deepEqual(retire!.body.fields, [{ id: SERIAL_FIELD.id, value: fleet[0]!.values.serialNumber }]);
    assert.match(retire!.reason, /no longer in Intune \(the list is complete\)/);
    assert.deepEqual(p.state.forget, [fleet[0]!.id.toLowerCase()]);
    const withFlag = plan({
      devices: fleet.slice(1),
      assets: fleetAssets,
      config: intuneConfig({ statuses: { ...statuses, deletedSetsInactive: true } }),
    });
    assert.equal(assetChanges(withFlag)[0]!.body.inactive, true);
    assert.deepEqual(
      assetChanges(plan({ devices: fleet.slice(1), assets: fleetAssets })).length,
      1,
      'the default config retires too',
    );
    const noStatus = intuneConfig({ statuses: { newStatusId: STATUS.active } });
    const off = plan({ devices: fleet.slice(1), assets: fleetAssets, config: noStatus });
    assert.deepEqual(assetChanges(off), []);
    assert.equal(off.deletion.mode, 'off');
  });

  it('a device that comes back gets the recovered status (and its inactive flag cleared)', () => {
    const back = linked(fleet[0]!, 100, { status_id: STATUS.retired, inactive: true });
    const p = plan({
      devices: [fleet[0]!],
      assets: [back],
      config: intuneConfig({ statuses: { ...statuses, deletedSetsInactive: true } }),
    });
    const [change] = assetChanges(p);
    assert.equal(change!.kind, 'recoverAsset');
    assert.equal(change!.body.status_id, STATUS.recovered);
    assert.equal(change!.body.inactive, false);
    assert.match(change!.reason, /the device is back in Intune/);
  });

  it('inactive after N days without an Intune sync: N × 24 hours before the run started; back when it syncs again', () => {
    const justInside = device({ lastSyncDateTime: new Date(NOW.getTime() - 30 * 86_400_000 + 60_000).toISOString() });
    const justOutside = device({ lastSyncDateTime: new Date(NOW.getTime() - 30 * 86_400_000 - 60_000).toISOString() });
    assert.equal(isInactive(justInside, config.statuses, NOW), false);
    assert.equal(isInactive(justOutside, config.statuses, NOW), true);
    const never = device({ lastSyncDateTime: '0001-01-01T00:00:00Z', enrolledDateTime: '2024-01-01T00:00:00Z' });
    assert.equal(isInactive(never, config.statuses, NOW), true, 'never synced: its enrolment counts');
    const [goesInactive] = assetChanges(plan({ devices: [justOutside], assets: [linked(justOutside, 5)], config }));
    assert.equal(goesInactive!.kind, 'inactivateAsset');
    assert.equal(goesInactive!.body.status_id, STATUS.inactive);
    const [comesBack] = assetChanges(
      plan({ devices: [justInside], assets: [linked(justInside, 6, { status_id: STATUS.inactive })], config }),
    );
    assert.equal(comesBack!.kind, 'recoverAsset');
    assert.equal(comesBack!.body.status_id, STATUS.recovered);
    const manual = linked(justInside, 7, { status_id: 99 });
    assert.deepEqual(
      assetChanges(plan({ devices: [justInside], assets: [manual], config })),
      [],
      'a status set by a person stays',
    );
  });

  it('guard: a drop beyond maxDropShare since the last run marks nothing deleted, says why, and keeps the baseline', () => {
    const state = { version: 1 as const, software: {}, users: {}, baselineDeviceCount: 10 };
    const p = plan({ devices: fleet.slice(0, 7), assets: fleetAssets, config, state });
    assert.deepEqual(assetChanges(p), []);
    assert.equal(p.deletion.mode, 'blocked');
    assert.match(
      p.deletion.reason,
      /fell from 10 \(at the last run\) to 7 \(-30%\), more than statuses.maxDropShare 20%/,
    );
    assert.equal(p.state.baselineDeviceCount, undefined, 'a blocked run does not lower the baseline');
    const within = plan({ devices: fleet.slice(0, 8), assets: fleetAssets, config, state });
    assert.equal(assetChanges(within).filter((c) => c.kind === 'retireAsset').length, 2);
    assert.equal(within.state.baselineDeviceCount, 8);
    const raised = plan({
      devices: fleet.slice(0, 7),
      assets: fleetAssets,
      config: intuneConfig({ statuses: { ...statuses, maxDropShare: 0.5 } }),
      state,
    });
    assert.equal(assetChanges(raised).length, 3, 'raising maxDropShare for one run lets a real removal through');
  });

  it('guard on a first run: the assets already linked to Intune are the baseline', () => {
    const p = plan({ devices: fleet.slice(0, 5), assets: fleetAssets, config });
    assert.equal(p.deletion.mode, 'blocked');
    assert.match(p.deletion.reason, /fell from 10 \(assets linked to Intune in Halo\) to 5/);
  });

  it('guard: an incomplete list (a failed page, items without an id, a short count) marks nothing deleted', () => {
    const partial = health(fleet.slice(1), { complete: false, problems: ['page 2 of the device list failed: 503'] });
    const p = plan({ devices: fleet.slice(1), health: partial, assets: fleetAssets, config });
    assert.deepEqual(assetChanges(p), []);
    assert.equal(p.deletion.mode, 'blocked');
    assert.match(p.deletion.reason, /not complete \(page 2 of the device list failed: 503\)/);
    assert.equal(p.state.baselineDeviceCount, undefined);
  });

  it('an unreadable device with an id is present: its asset is not marked deleted', () => {
    const h = health(fleet.slice(1), {
      listed: 10,
      presentIds: fleet.map((d) => d.id.toLowerCase()),
      unreadable: [{ id: fleet[0]!.id, reason: 'lastSyncDateTime: bad' }],
    });
    const p = plan({ devices: fleet.slice(1), health: h, assets: fleetAssets, config });
    assert.deepEqual(assetChanges(p), []);
    assert.equal(p.skipped[0]!.category, 'unreadable');
  });

  it('the state after apply: software and users merged, retired devices forgotten, the baseline moved on', () => {
    const at = new Date('2025-03-02T00:00:00Z');
    const next = nextState(
      { version: 1, baselineDeviceCount: 10, baselineAt: 'x', software: { a: '1', b: '2' }, users: { a: '501' } },
      { baselineDeviceCount: 9, software: { c: '3' }, users: {}, forget: ['a'] },
      { runId: 'r2', at },
    );
    assert.deepEqual(next, {
      version: 1,
      baselineDeviceCount: 9,
      baselineAt: at.toISOString(),
      software: { b: '2', c: '3' },
      users: {},
      runId: 'r2',
      updatedAt: at.toISOString(),
    });
  });
});
