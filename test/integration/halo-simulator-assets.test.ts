import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HaloSimulator, startHaloSimulator } from '../../dev/halo-sim';
import { haloSimulatorToken } from '../support/haloSim';

describe('Halo simulator: assets, asset types and groups, asset statuses, software licences', () => {
  let sim: HaloSimulator;
  let token: string;
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${sim.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const post = (path: string, items: unknown[]) => api(path, { method: 'POST', body: JSON.stringify(items) });

  before(async () => {
    sim = await startHaloSimulator({ rateLimit: false });
    token = await haloSimulatorToken(sim);
  });
  after(async () => {
    await sim.stop();
  });

  it('list rows are Device_List: no users, no software; fields only with includeassetfields; inactive only when asked', async () => {
    sim.store.tables.assets.get(3)!.users = [{ id: 201 }];
    sim.store.tables.assets.get(3)!.software = [{ name: 'x', version: '1' }];
    const plain = await api('/Asset?client_id=10&pageinate=true&page_size=100');
    const row = (plain.body.assets as Record<string, unknown>[]).find((a) => a.id === 3)!;
    assert.equal(row.fields, undefined);
    assert.equal(row.users, undefined);
    assert.equal(row.software, undefined);
    assert.equal(row.intune_id, '11111111-dddd-4000-8000-0000000000ff');
    const withFields = await api('/Asset?client_id=10&includeassetfields=true&includeuser=true');
    const full = (withFields.body.assets as Record<string, unknown>[]).find((a) => a.id === 3)!;
    assert.deepEqual(full.fields, [
      { id: 1, name: 'Serial Number', value: 'SN-1111-OLD' },
      { id: 2, name: 'Memory (GB)', value: '8' },
    ]);
    assert.equal(full.users, undefined, 'includeuser does not put users on list rows');
    sim.store.tables.assets.get(2)!.inactive = true;
    assert.equal((await api('/Asset?client_id=12')).body.record_count, 0);
    assert.equal((await api('/Asset?client_id=12&includeinactive=true')).body.record_count, 1);
  });

  it('a POST replaces the whole fields array (and software); custom fields are merged by id', async () => {
    const written = await post('/Asset', [
      { id: 3, fields: [{ id: 1, value: 'SN-NEW' }], customfields: [{ id: 150, value: 'x' }] },
    ]);
    assert.equal(written.status, 200);
    assert.deepEqual(
      sim.store.tables.assets.get(3)!.fields,
      [{ id: 1, value: 'SN-NEW', name: 'Serial Number' }],
      'Memory (GB) is gone',
    );
    await post('/Asset', [
      { id: 3, customfields: [{ id: 151, value: 'y' }], software: [{ name: 'Zoom', version: '6' }] },
    ]);
    assert.deepEqual(sim.store.tables.assets.get(3)!.customfields, [
      { id: 150, value: 'x' },
      { id: 151, value: 'y' },
    ]);
    assert.deepEqual(sim.store.tables.assets.get(3)!.software, [{ name: 'Zoom', version: '6' }]);
  });

  it('refuses assets whose company, site, type or status does not exist (an update changes nothing)', async () => {
    const ok = { client_id: 10, site_id: 10, assettype_id: 1, inventory_number: 'X-1' };
    assert.equal((await post('/Asset', [{ ...ok, site_id: 11 }])).status, 400, "another company's site");
    assert.equal((await post('/Asset', [{ ...ok, assettype_id: 99 }])).status, 400);
    assert.equal((await post('/Asset', [{ ...ok, client_id: 999 }])).status, 400);
    assert.equal(
      (await post('/Asset', [{ ...ok, status_id: 1 }])).status,
      400,
      'a ticket status is not an asset status',
    );
    assert.equal((await post('/Asset', [{ ...ok, status_id: '31' }])).status, 400, 'ids are numbers');
    assert.equal((await post('/Asset', [{ ...ok, status_id: 31 }])).status, 200);
    const before = structuredClone(sim.store.tables.assets.get(3));
    assert.equal((await post('/Asset', [{ id: 3, assettype_id: 99, key_field: 'changed' }])).status, 400);
    assert.deepEqual(sim.store.tables.assets.get(3), before);
  });

  it('asset types need an existing group; statuses of assets apart; licences paged in their envelope', async () => {
    assert.equal((await post('/AssetType', [{ name: 'Tablet', assetgroup_id: 99 }])).status, 400);
    const created = await post('/AssetType', [{ name: 'Tablet', assetgroup_id: 2 }]);
    assert.equal(created.body.assetgroup_name, 'Mobile devices');
    const inGroup = await api('/AssetType?assetgroup_id=2');
    assert.deepEqual(
      (inGroup.body as { name: string }[]).map((t) => t.name),
      ['Mobile Phone', 'Tablet'],
    );
    const assetStatuses = await api('/Status?type=asset');
    assert.deepEqual(
      (assetStatuses.body as { id: number }[]).map((s) => s.id),
      [31, 32, 33, 34],
    );
    assert.ok(
      (await api('/Status')).body.some((s: { name: string }) => s.name === 'New'),
      'ticket statuses otherwise',
    );
    await post('/SoftwareLicence', [{ name: 'Zoom Workplace', client_id: 10 }]);
    const licences = await api('/SoftwareLicence?client_id=10&pageinate=true&page_size=100');
    assert.deepEqual(
      (licences.body.licences as { name: string }[]).map((l) => l.name),
      ['Microsoft 365 Apps for enterprise', 'Zoom Workplace'],
    );
    assert.equal((await post('/SoftwareLicence', [{ name: 'x', client_id: 999 }])).status, 400);
  });
});
