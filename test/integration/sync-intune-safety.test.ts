import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { applyPlan, dedupeScopes } from '../../shared/sync';
import { batchKey } from '../../shared/sync/engine/keys';
import { getPlan } from '../../shared/sync/engine/runBlobs';
import type { IntunePlan } from '../../shared/sync/intune';
import { intuneSync } from '../../shared/sync/intune/definition';
import { toIntuneWrites } from '../../shared/sync/intune/writes';
import { assetsOf, CONTOSO, FABRIKAM, haloWrites, runIntune } from './intune-helpers';

describe('intune sync: exactly once, shared creates, the deletion guard, one tenant failing alone', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({
      queues: { visibilityTimeout: '00:00:00.200', maxDequeueCount: 3 },
      // Types from the device model: both tenants have "Latitude 5440" and "iPhone 15", which Halo does not know.
      config: (demo) => {
        const intune = demo.intuneSync as Record<string, unknown>;
        return { ...demo, intuneSync: { ...intune, assetType: { from: 'field', field: 'model', assetGroupId: 1 } } };
      },
    });
  });
  after(async () => {
    await stack.stop();
  });

  it('a batch an interrupted delivery had sent is looked up before it is sent again: no second asset', async () => {
    const planned = await runIntune(stack, { mode: 'plan', tenantId: FABRIKAM });
    const plan = (await getPlan<IntunePlan>(stack.container.reports, 'intune-sync', planned.run.runId, FABRIKAM))!;
    const batches = toIntuneWrites(plan);
    const typeBatch = batches.findIndex((b) => b.resource === '/AssetType');
    const assetBatch = batches.findIndex((b) => b.resource === '/Asset');
    assert.ok(typeBatch >= 0 && assetBatch > typeBatch, JSON.stringify(batches.map((b) => b.resource)));
    // The earlier delivery: it created the types, claimed the asset batch, sent it, and died before recording it.
    const runId = `${planned.run.runId}-replay`;
    const scope = dedupeScopes('intune-sync').batch;
    await applyPlanUntil(stack, plan, runId, assetBatch);
    const sent = await intuneSync.beforeSend(stack.container, batches[assetBatch]!, { plan, recovering: false, runId });
    await stack.container.halo.post('/Asset', sent);
    await stack.container.stores.dedupe.claim(scope, batchKey(runId, FABRIKAM, assetBatch), { dequeueCount: 1 });
    const created = assetsOf(stack, 11).length;
    assert.equal(created, 4);

    stack.halo.resetCounters();
    const retried = await applyPlan(stack.container, intuneSync, { runId, plan, dequeueCount: 2 });
    assert.equal(retried.recoveredRecords, 6, 'both types found by name, every asset by its Intune id');
    assert.equal(assetsOf(stack, 11).length, 4, 'no asset created twice');
    assert.deepEqual(haloWrites(stack), {}, 'nothing sent again');
  });

  it('two tenants needing the same new asset type create it once (a lock per name), and both use it', async () => {
    const status = await runIntune(stack);
    assert.equal(status.run.status, 'succeeded', String(status.run.error));
    const types = [...stack.halo.store.tables.assetTypes.values()];
    for (const name of ['Latitude 5440', 'iPhone 15']) {
      const named = types.filter((t) => t.name === name);
      assert.equal(named.length, 1, `one "${name}"`);
      assert.equal(named[0]!.assetgroup_id, 1, 'under the configured group');
    }
    const latitude = types.find((t) => t.name === 'Latitude 5440')!.id;
    const laptops = [...assetsOf(stack, 10), ...assetsOf(stack, 11)].filter((a) => a.key_field === 'Latitude 5440');
    assert.ok(laptops.length >= 5);
    for (const asset of laptops) assert.equal(asset.assettype_id, latitude, String(asset.inventory_number));
  });

  it('the create lock: a second tenant waits while the first creates a type, then finds it in Halo', async () => {
    const planFor = (tenantId: string, clientId: number) =>
      ({
        tenantId,
        company: { clientId, clientName: 'x', by: 'tenantId', detail: '' },
        changes: [],
      }) as unknown as IntunePlan;
    const batch = { resource: '/AssetType', bodies: [{ name: 'Surface Laptop 7', assetgroup_id: 1 }], changeCount: 1 };
    const first = planFor(CONTOSO, 10);
    const second = planFor(FABRIKAM, 11);
    const context = (plan: IntunePlan) => ({ plan, recovering: false, runId: 'lock-test' });
    const mine = await intuneSync.beforeSend(stack.container, batch, context(first));
    assert.deepEqual(mine, batch.bodies);
    await assert.rejects(
      intuneSync.beforeSend(stack.container, batch, context(second)),
      /asset type "Surface Laptop 7" is being created for another tenant of this sync/,
    );
    assert.deepEqual(
      await intuneSync.beforeSend(stack.container, batch, context(first)),
      batch.bodies,
      'its own retry may',
    );
    await intuneSync.send!(stack.container, batch, mine, { plan: first, runId: 'lock-test' });
    assert.deepEqual(await intuneSync.beforeSend(stack.container, batch, context(second)), [], 'it exists now');
    const named = [...stack.halo.store.tables.assetTypes.values()].filter((t) => t.name === 'Surface Laptop 7');
    assert.equal(named.length, 1);
  });

  it('a fleet that shrinks by more than maxDropShare is not retired: the run says why; a real removal goes through once allowed', async () => {
    const gone = [
      '11111111-dddd-4000-8000-000000000001',
      '11111111-dddd-4000-8000-000000000003',
      '11111111-dddd-4000-8000-000000000009',
    ];
    const removed = gone.map((id) => stack.graph.intune.devices(CONTOSO).find((d) => d.id === id)!);
    for (const id of gone) stack.graph.intune.removeDevice(CONTOSO, id);
    try {
      stack.halo.resetCounters();
      const held = await runIntune(stack, { tenantId: CONTOSO });
      const contoso = held.tenants[0]!;
      assert.equal((contoso.deletion as { mode: string }).mode, 'blocked');
      assert.match(
        (contoso.deletion as { reason: string }).reason,
        /fell from 5 \(at the last run\) to 2 \(-60%\), more than statuses.maxDropShare 20%: nothing is marked deleted/,
      );
      assert.deepEqual(haloWrites(stack), {}, 'nothing marked deleted');
      stack.container.config.intuneSync.statuses.maxDropShare = 1;
      await runIntune(stack, { tenantId: CONTOSO });
      const retired = assetsOf(stack, 10).filter((a) => gone.includes(String(a.intune_id)));
      assert.deepEqual(
        retired.map((a) => a.status_id),
        [32, 32, 32],
      );
    } finally {
      stack.container.config.intuneSync.statuses.maxDropShare = 0.2;
      for (const device of removed) stack.graph.intune.upsertDevice(CONTOSO, device);
    }
  });

  it('a tenant without consent fails alone and visibly; the other is synced', async () => {
    stack.graph.revokeConsent(FABRIKAM);
    try {
      const status = await runIntune(stack);
      assert.equal(status.run.status, 'partial');
      const fabrikam = status.tenants.find((t) => t.tenantId === FABRIKAM)!;
      assert.equal(fabrikam.phase, 'failed');
      assert.match(String(fabrikam.error), /not consented in tenant 22222222/);
      assert.equal(status.tenants.find((t) => t.tenantId === CONTOSO)!.phase, 'done');
      const recovered = assetsOf(stack, 10).filter((a) => a.status_id === 33);
      assert.equal(recovered.length, 3, 'the devices that came back were recovered');
    } finally {
      stack.graph.restoreConsent(FABRIKAM);
    }
  });
});

/** Applies a plan's batches before `stop` (what an earlier delivery got done). */
async function applyPlanUntil(stack: Stack, plan: IntunePlan, runId: string, stop: number): Promise<void> {
  const partial: IntunePlan = { ...plan, changes: plan.changes.filter((c) => c.resource !== '/Asset') };
  assert.equal(toIntuneWrites(partial).length, stop);
  await applyPlan(stack.container, intuneSync, { runId: `${runId}-types`, plan: partial, dequeueCount: 1 });
}
