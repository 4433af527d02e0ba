import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateUser } from '../../dev/graph-sim/directory';
import { type Stack, startStack } from '../../dev/stack';
import type { WriteBatch } from '../../shared/sync';
import type { EntraPlan } from '../../shared/sync/entra';
import { beforeSendEntraWrites } from '../../shared/sync/entra/haloWrites';
import { ASSIGN_LICENSE } from '../../shared/sync/entra/licences/types';
import { graphRoutesSince, PARTNER, reportOf, runEntra, STAFF } from './entra-helpers';

const BUSINESS_STANDARD = 'f245ecc8-75af-4f8e-b61f-27d8114de5f3';
const EXCHANGE = '4b9405b0-7788-4568-add1-99614e613b69';

describe('Entra ID sync: subscriptions → Halo licences, users linked, licences managed from Halo (issue 11 item 9)', () => {
  let stack: Stack;
  const licences = () => [...stack.halo.store.tables.softwareLicences.values()];
  const licenceOf = (skuId: string) => licences().find((l) => l.vendor_product_sku === skuId)!;
  const haloUser = (oid: string) => [...stack.halo.store.tables.users.values()].find((u) => u.azureoid === oid)!;
  const linked = (oid: string) =>
    ((haloUser(oid).software as { licence_id: number }[] | undefined) ?? []).map((s) => s.licence_id).sort();
  const graphUser = (oid: string) => stack.graph.store.requireTenant(PARTNER).users.get(oid)!;
  const assigned = (oid: string) =>
    ((graphUser(oid).assignedLicenses as { skuId: string }[] | undefined) ?? []).map((l) => l.skuId).sort();
  const setHaloLicences = (oid: string, ids: number[]) => {
    haloUser(oid).software = ids.map((id) => ({ licence_id: id, name: String(licenceOf(EXCHANGE).name) }));
  };

  before(async () => {
    stack = await startStack({
      config: (demo) => {
        const entra = demo.entraSync as { connections: Record<string, unknown>[] };
        entra.connections[0]!.syncs = { users: true, agents: true, licences: true };
        entra.connections[0]!.softwareLicences = { clientId: 1, manageFromHalo: true };
        return demo;
      },
    });
  });
  after(async () => {
    await stack.stop();
  });

  it('first run: one Halo licence per assignable subscription, friendly names, seats from Entra', async () => {
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    assert.deepEqual(
      // Only the Entra subscriptions (they carry Entra's skuId); the demo's Halo has licences of its own.
      licences()
        .filter((l) => l.vendor_product_sku !== undefined)
        .map((l) => [l.name, l.client_id, l.product_sku, l.count, l.licences_in_use])
        .sort(),
      [
        ['Exchange Online (Plan 1)', 1, 'EXCHANGESTANDARD', 2, 1],
        ['Microsoft 365 Business Standard', 1, 'O365_BUSINESS_PREMIUM', 5, 3],
      ],
    );
  });

  it('users are linked to the licences Entra gives them (once Halo knows the user); a second run changes nothing', async () => {
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    const jordan = STAFF(7);
    assert.deepEqual(linked(jordan), [licenceOf(BUSINESS_STANDARD).id]);
    const { connections } = await reportOf(stack, status.run.runId);
    const entry = connections[0]!.log.find((e) => e.oid === jordan);
    assert.match(entry?.outcome ?? '', /licences changed in Entra: the Halo user follows/);
    const quiet = await runEntra(stack, 'apply');
    const plan = (await reportOf(stack, quiet.run.runId)).connections[0] as EntraPlan;
    assert.deepEqual(
      plan.changes.map((c) => c.kind),
      [],
    );
  });

  it('a licence added in Halo is assigned in Entra with one assignLicense; a resend after a lost answer sends nothing', async () => {
    const jordan = STAFF(7);
    updateUser(stack.graph.store, PARTNER, { id: jordan, usageLocation: 'GB' });
    await runEntra(stack, 'apply');
    setHaloLicences(jordan, [licenceOf(BUSINESS_STANDARD).id as number, licenceOf(EXCHANGE).id as number]);
    const before = stack.graph.requests().length;
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    assert.equal(graphRoutesSince(stack, before)['users.assignLicense'], 1);
    assert.deepEqual(assigned(jordan), [BUSINESS_STANDARD, EXCHANGE].sort());
    const plan = (await reportOf(stack, status.run.runId)).connections[0] as EntraPlan;
    const change = plan.changes.find((c) => c.kind === 'assignLicence')!;
    assert.match(change.reason, /assign Exchange Online \(Plan 1\) in Entra/);

    // The same batch again, as a delivery that may already have sent it: Entra is read first, nothing is resent.
    const batch: WriteBatch = { resource: ASSIGN_LICENSE, bodies: [change.body], changeCount: 1 };
    const bodies = await beforeSendEntraWrites(stack.container, batch, { plan, recovering: true });
    assert.deepEqual(bodies, []);

    // Entra's own change (the assignment) comes back through delta: both sides agree, nothing to do.
    const next = await runEntra(stack, 'apply');
    const after = (await reportOf(stack, next.run.runId)).connections[0] as EntraPlan;
    assert.deepEqual(
      after.changes.filter((c) => c.kind === 'assignLicence' || c.kind === 'linkLicences'),
      [],
    );
  });

  it('Entra refuses (no usage location): not retried, shown as a problem of the next run, and Halo is put back', async () => {
    const morgan = STAFF(5);
    assert.equal(graphUser(morgan).usageLocation, undefined);
    setHaloLicences(morgan, [licenceOf(BUSINESS_STANDARD).id as number, licenceOf(EXCHANGE).id as number]);
    const status = await runEntra(stack, 'apply');
    assert.equal(status.run.status, 'succeeded', JSON.stringify(status.tenants));
    assert.deepEqual(assigned(morgan), [BUSINESS_STANDARD]);
    const next = await runEntra(stack, 'apply');
    const plan = (await reportOf(stack, next.run.runId)).connections[0] as EntraPlan;
    assert.ok(
      plan.problems.some((p) =>
        p.includes('Entra refused the licence change made in Halo for morgan.lead@bridgemsp.com'),
      ),
      plan.problems.join('\n'),
    );
    assert.deepEqual(linked(morgan), [licenceOf(BUSINESS_STANDARD).id], 'Halo follows Entra again');
  });
});
