import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { readSourceState } from '../../shared/sync/intune';
import { assetsOf, CONTOSO, FABRIKAM, haloWrites, plansOf, runIntune } from './intune-helpers';

const STATUS = { inUse: 31, removed: 32, back: 33 };
const TYPES = { laptop: 1, phone: 3 };

describe('intune sync over the simulators: two customer tenants into Halo assets', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('devices become assets under their companies: typed by rule, linked to users, Defender-only excluded, a retired device marked', async () => {
    stack.halo.resetCounters();
    const status = await runIntune(stack);
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.run.error));

    const contoso = assetsOf(stack, 10);
    const byIntune = (id: string) => contoso.find((a) => a.intune_id === id);
    const phone = byIntune('11111111-dddd-4000-8000-000000000009')!;
    assert.equal(phone.assettype_id, TYPES.phone, 'iOS → Mobile Phone by the first rule');
    assert.equal(phone.status_id, STATUS.inUse);
    const pc1 = byIntune('11111111-dddd-4000-8000-000000000001')!;
    assert.equal(pc1.assettype_id, TYPES.laptop);
    assert.deepEqual(
      (pc1.fields as { id: number; value: string }[]).map((f) => [f.id, f.value]),
      [
        [1, 'SN-1111-1'],
        [2, '16'],
      ],
      'serial number, and the memory the list reports as 0, read per device: 16 GB',
    );
    assert.equal(pc1.users, undefined, 'adele.vance@contoso.com has no Halo user yet (tenant sync creates her)');
    assert.ok(Array.isArray(pc1.software) && (pc1.software as unknown[]).length === 4, 'its detected apps');
    assert.deepEqual(
      (pc1.software as { name: string; licence_id?: number }[]).filter((s) => s.licence_id).map((s) => s.name),
      ['Google Chrome', 'Microsoft 365 Apps for enterprise'],
    );

    const matched = stack.halo.store.tables.assets.get(1)!;
    assert.equal(
      matched.intune_id,
      '11111111-dddd-4000-8000-000000000002',
      'the existing laptop, matched by serial, linked',
    );
    assert.deepEqual(matched.users, [{ id: 202 }], 'to its user Alex Wilber, found by UPN');
    assert.equal(contoso.filter((a) => a.inventory_number === 'CONTOSO-PC2').length, 1, 'and not created twice');
    assert.equal(byIntune('11111111-dddd-4000-8000-00000000000d'), undefined, 'the Defender-only device is left out');
    const retired = stack.halo.store.tables.assets.get(3)!;
    assert.equal(retired.status_id, STATUS.removed, 'the laptop gone from Intune is marked');
    assert.deepEqual(
      (retired.fields as { id: number; value: string }[]).map((f) => f.value),
      ['SN-1111-OLD', '8'],
      'its fields survived the write',
    );
    assert.equal(assetsOf(stack, 11).length, 4, 'Fabrikam’s four devices under Fabrikam');
    assert.equal(assetsOf(stack, 12).filter((a) => a.intune_id).length, 0, 'Northwind is not a source in the demo');

    const writes = haloWrites(stack);
    assert.deepEqual(writes, { 'POST /api/asset': 2 }, 'one asset batch per tenant');
    const plans = await plansOf(stack, status.run.runId);
    const contosoPlan = plans.find((p) => p.tenantId === CONTOSO)!;
    assert.equal(contosoPlan.devices.excludedDefender, 1);
    assert.equal(contosoPlan.deletion.mode, 'allowed');
    const state = await readSourceState(stack.container.reports, CONTOSO);
    assert.equal(state.baselineDeviceCount, 5, 'the committed baseline: every listed device');
  });

  it('a second run with nothing changed writes nothing', async () => {
    stack.halo.resetCounters();
    const status = await runIntune(stack);
    assert.equal(status.run.status, 'succeeded');
    assert.deepEqual(haloWrites(stack), {});
    for (const tenant of status.tenants) assert.deepEqual(tenant.changes, {}, tenant.displayName);
  });

  it('a device back in Intune gets the recovered status; a changed device is updated; plan mode writes nothing', async () => {
    const back = {
      id: '11111111-dddd-4000-8000-0000000000ff',
      deviceName: 'CONTOSO-PC-OLD',
      serialNumber: 'SN-1111-OLD',
      operatingSystem: 'Windows',
      model: 'Latitude 5400',
      userPrincipalName: 'megan.bowen@contoso.com',
      managementAgent: 'mdm',
      lastSyncDateTime: new Date().toISOString(),
    };
    stack.graph.intune.upsertDevice(CONTOSO, back);
    stack.graph.intune.upsertDevice(FABRIKAM, { id: '22222222-dddd-4000-8000-000000000001', model: 'Latitude 7450' });
    stack.halo.resetCounters();
    const planned = await runIntune(stack, { mode: 'plan' });
    assert.deepEqual(haloWrites(stack), {});
    assert.deepEqual(planned.tenants.map((t) => [t.displayName, t.changes]).sort(), [
      ['Contoso Ltd', { recoverAsset: 1 }],
      ['Fabrikam Inc', { updateAsset: 1 }],
    ]);
    await runIntune(stack);
    assert.equal(stack.halo.store.tables.assets.get(3)!.status_id, STATUS.back);
    assert.equal(
      assetsOf(stack, 11).find((a) => a.intune_id === '22222222-dddd-4000-8000-000000000001')!.key_field,
      'Latitude 7450',
    );
  });

  it('HTTP: POST /api/sync/intune starts a run for one tenant; GET shows it and the sync at a glance', async () => {
    const post = (body: unknown) =>
      fetch(`${stack.runner.url}/api/sync/intune`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-functions-key': stack.keys.functionKey },
        body: JSON.stringify(body),
      });
    const bad = await post({ mode: 'match' });
    assert.equal(bad.status, 400, 'the Intune sync has no match mode');
    const started = await post({ mode: 'plan', tenantId: FABRIKAM });
    assert.equal(started.status, 202);
    const { runId } = (await started.json()) as { runId: string };
    await stack.runner.drain({ idleMs: 150 });
    const view = (await (
      await fetch(`${stack.runner.url}/api/sync/intune/${runId}`, {
        headers: { 'x-functions-key': stack.keys.functionKey },
      })
    ).json()) as { run: { status: string }; tenants: { displayName: string; company: { clientName: string } }[] };
    assert.equal(view.run.status, 'succeeded');
    assert.deepEqual(
      view.tenants.map((t) => [t.displayName, t.company.clientName]),
      [['Fabrikam Inc', 'Fabrikam, Inc.']],
    );
    const overview = (await (
      await fetch(`${stack.runner.url}/api/sync/intune`, { headers: { 'x-functions-key': stack.keys.functionKey } })
    ).json()) as { title: string; schedule: { cron: string } };
    assert.equal(overview.title, 'Intune sync');
    assert.equal(overview.schedule.cron, '0 30 3 * * *');
  });
});
