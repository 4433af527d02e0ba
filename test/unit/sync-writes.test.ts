import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyWrites } from '../../shared/sync/contacts/applyWrites';
import type { Change, TenantPlan } from '../../shared/sync/contacts/changes';
import { generateSyncDataset } from '../../shared/sync/contacts/dataset';
import { planTenant, summarisePlan } from '../../shared/sync/contacts/plan';
import { countBatchedRequests, countPerRecordRequests, toHaloWrites } from '../../shared/sync/contacts/writes';
import { config, contact, contactInStep, graphUser, halo, TENANT_ID, tenant } from './sync-fixtures';

function planOf(changes: Change[], tenantId = TENANT_ID): TenantPlan {
  return {
    tenantId,
    tenantName: 'T',
    match: { clientId: 11, clientName: 'C', by: 'name', detail: '' },
    changes,
    skippedUsers: [],
  };
}

const deactivate = (id: number): Change => ({
  kind: 'deactivateContact',
  resource: '/Users',
  contact: { id, name: 'x', email: '' },
  body: { id, inactive: true },
  reason: 'r',
});

describe('Halo writes', () => {
  it('batches at most 100 bodies per request, companies before contacts', () => {
    const link: Change = {
      kind: 'linkTenant',
      resource: '/Client',
      clientId: 11,
      clientName: 'C',
      body: { id: 11, azure_tenants: [{ azure_tenant_id: TENANT_ID, details_name: 'Default' }] },
      reason: 'r',
    };
    const plans = [
      planOf([link, ...Array.from({ length: 150 }, (_, i) => deactivate(i + 1))]),
      planOf([deactivate(151)]),
    ];
    const batches = toHaloWrites(plans);
    assert.deepEqual(
      batches.map((b) => [b.resource, b.bodies.length, b.changeCount]),
      [
        ['/Client', 1, 1],
        ['/Users', 100, 100],
        ['/Users', 51, 51],
      ],
    );
    assert.deepEqual(
      toHaloWrites(plans, { batchSize: 40 }).map((b) => b.bodies.length),
      [1, 40, 40, 40, 31],
    );
  });

  it('merges pairing and update of one contact into one body; creates stay separate', () => {
    const ann = graphUser('ann', { jobTitle: 'Lead' });
    const existing = contactInStep(graphUser('ann'), { azureoid: '' });
    const snapshot = halo([existing]);
    snapshot.clients[0]!.azure_tenants = [{ azure_tenant_id: TENANT_ID }];
    const plan = planTenant(tenant([ann, graphUser('bob'), graphUser('cat')]), snapshot, config());
    assert.deepEqual(
      plan.changes.map((c) => c.kind),
      ['pairContact', 'updateContact', 'createContact', 'createContact'],
    );
    const [batch] = toHaloWrites([plan]);
    assert.equal(batch!.changeCount, 4);
    assert.equal(batch!.bodies.length, 3);
    assert.deepEqual(batch!.bodies[0], { id: existing.id, azureoid: 'oid-ann', inactive: false, title: 'Lead' });
  });

  it('unites tenant links when two tenants link the same company', () => {
    const link = (tenantId: string): Change => ({
      kind: 'linkTenant',
      resource: '/Client',
      clientId: 11,
      clientName: 'C',
      body: { id: 11, azure_tenants: [{ id: 1, azure_tenant_id: 'old' }, { azure_tenant_id: tenantId }] },
      reason: 'r',
    });
    const [batch] = toHaloWrites([planOf([link('a')], 'a'), planOf([link('b')], 'b')]);
    assert.deepEqual(batch!.bodies, [
      {
        id: 11,
        azure_tenants: [{ id: 1, azure_tenant_id: 'old' }, { azure_tenant_id: 'a' }, { azure_tenant_id: 'b' }],
      },
    ]);
  });

  it('refuses a record id that is not an integer', () => {
    assert.throws(() => toHaloWrites([planOf([deactivate(95.5)])]), /95\.5 is not an integer/);
  });

  it('counts requests: one per change plus reads per tenant, against bulk reads plus batches', () => {
    const plans = [planOf(Array.from({ length: 250 }, (_, i) => deactivate(i + 1))), planOf([])];
    assert.equal(countPerRecordRequests(plans), 250 + 2 * 3);
    assert.equal(countPerRecordRequests(plans, { readsPerTenant: 1 }), 252);
    assert.equal(countBatchedRequests(plans), 3 + 3);
  });

  it('is idempotent: applying the writes and planning again finds nothing to do', () => {
    const data = generateSyncDataset({ tenants: 12, usersPerTenant: 40, seed: 7 });
    const cfg = config();
    const first = data.tenants.map((t) => planTenant(t, data.halo, cfg));
    const summary = summarisePlan(first);
    for (const kind of ['linkTenant', 'createContact', 'pairContact', 'updateContact', 'deactivateContact'] as const) {
      assert.ok(summary.changes[kind] > 0, `the dataset should exercise ${kind}`);
    }
    const after = applyWrites(data.halo, toHaloWrites(first));
    const second = data.tenants.map((t) => planTenant(t, after, cfg));
    assert.equal(summarisePlan(second).totalChanges, 0);
    assert.equal(summarisePlan(second).matchedBy.tenantId, summary.matched);
    assert.equal(after.users.length, data.halo.users.length + summary.changes.createContact);
  });

  it('applyWrites replaces azure_tenants and updates only the fields sent', () => {
    const c = contact({ client_id: 11, name: 'Keep Me', emailaddress: 'k@fabrikam.com' });
    const after = applyWrites(halo([c]), [
      { resource: '/Users', bodies: [{ id: c.id, inactive: true }], changeCount: 1 },
      { resource: '/Client', bodies: [{ id: 11, azure_tenants: [{ azure_tenant_id: 'x' }] }], changeCount: 1 },
    ]);
    assert.deepEqual(after.users[0], { ...c, inactive: true });
    assert.deepEqual(after.clients[0]!.azure_tenants, [{ azure_tenant_id: 'x' }]);
  });
});
