import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { checkEnrolledCount, readDeviceDetails, readManagedDevices } from '../../shared/sync/intune/graphDevices';
import { readDetectedApps } from '../../shared/sync/intune/graphSoftware';
import { intuneRequests, listSelect } from '../../shared/sync/intune/planSource';
import { simulatorGraph, simulatorToken } from '../support/graph';

const CONTOSO = '11111111-1111-4111-8111-111111111111';
const PC1 = '11111111-dddd-4000-8000-000000000001';
const config = parseIntegrationConfig({
  mailboxes: [],
  intuneSync: { fields: [{ from: 'deviceName', to: { property: 'inventory_number' } }] },
}).intuneSync;

describe('intune: the Graph simulator is as strict as Intune, and the readers cope', () => {
  let sim: GraphSimulator;
  let token: string;
  const requests = () => intuneRequests(simulatorGraph(sim, { retry: { delaySeconds: 0 } }).forTenant(CONTOSO), config);
  const get = async (path: string) => {
    const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    sim = await startGraphSimulator();
    token = await simulatorToken(sim, CONTOSO);
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.intune.listPageSize = 1000;
    sim.intune.hiddenFromList.clear();
    sim.intune.throttle = { requests: 2000, windowMs: 20_000 };
  });

  it('lists managed devices with the documented property set; placeholders are 0 or null in the list', async () => {
    const list = await get('/v1.0/deviceManagement/managedDevices');
    const pc1 = (list.body.value as Record<string, unknown>[]).find((d) => d.id === PC1)!;
    assert.ok(Object.keys(pc1).length >= 55, `the full managedDevice, got ${Object.keys(pc1).length} properties`);
    for (const name of [
      'jailBroken',
      'deviceEnrollmentType',
      'exchangeAccessState',
      'partnerReportedThreatState',
      'enrollmentProfileName',
    ])
      assert.ok(name in pc1, name);
    assert.equal(pc1.physicalMemoryInBytes, 0, 'the seed has 16 GB; lists say 0');
    assert.equal(pc1.ethernetMacAddress, null);
    assert.equal(pc1.jailBroken, 'Unknown', 'jailBroken is a string');
    assert.ok(!('detectedApps' in pc1), 'never a simulator-only property');
    const unknown = await get('/v1.0/deviceManagement/managedDevices?$select=id,diskSize');
    assert.equal(unknown.status, 400);
    assert.match(
      String((unknown.body.error as { message: string }).message),
      /Could not find a property named 'diskSize'/,
    );
  });

  it('a single-device GET has the real value only when it $selects it', async () => {
    const plain = await get(`/v1.0/deviceManagement/managedDevices/${PC1}`);
    assert.equal(plain.body.physicalMemoryInBytes, 0);
    const selected = await get(
      `/v1.0/deviceManagement/managedDevices/${PC1}?$select=physicalMemoryInBytes,ethernetMacAddress`,
    );
    assert.equal(selected.body.physicalMemoryInBytes, 17179869184);
    assert.match(String(selected.body.ethernetMacAddress), /^00155D/);
    const details = await readDeviceDetails(requests(), [PC1], ['physicalMemoryInBytes']);
    assert.deepEqual(details.get(PC1), { id: PC1, physicalMemoryInBytes: 17179869184 });
  });

  it('follows every page; a page that keeps failing ends the read with what came before, marked incomplete', async () => {
    sim.intune.listPageSize = 2;
    const whole = await readManagedDevices(requests(), listSelect(config));
    assert.equal(whole.devices.length, 5);
    assert.ok(whole.health.complete);
    sim.faults.add({ method: 'GET', path: 'managedDevices\\?.*skiptoken', effect: { kind: 'status', status: 503 } });
    const partial = await readManagedDevices(requests(), listSelect(config));
    assert.equal(partial.devices.length, 2);
    assert.equal(partial.health.complete, false);
    assert.match(partial.health.problems[0]!, /^page 2 of the device list failed: /);
    sim.faults.clear();
    sim.faults.add({ method: 'GET', path: 'managedDevices(\\?|$)', times: 1, effect: { kind: 'status', status: 403 } });
    await assert.rejects(readManagedDevices(requests(), listSelect(config)), 'the first page failing fails the read');
  });

  it('an item without an id makes the list incomplete; one with an odd property is still read', async () => {
    sim.intune.upsertDevice(CONTOSO, {
      id: 'odd-1',
      '@sim.raw': true,
      deviceName: { nested: true },
      serialNumber: 'SN-ODD',
    });
    sim.intune.upsertDevice(CONTOSO, { id: '', '@sim.raw': true, deviceName: 'NO-ID' });
    try {
      const read = await readManagedDevices(requests(), listSelect(config));
      assert.ok(
        read.devices.some(
          (d) => d.id === 'odd-1' && d.values.deviceName === undefined && d.values.serialNumber === 'SN-ODD',
        ),
      );
      assert.equal(read.health.complete, false);
      assert.deepEqual(read.health.problems, ['1 listed item(s) had no device id']);
    } finally {
      sim.intune.removeDevice(CONTOSO, 'odd-1');
      sim.intune.removeDevice(CONTOSO, '');
    }
  });

  it('a list shorter than Intune’s enrolled count is incomplete (issue 21659: unfiltered lists may miss devices)', async () => {
    sim.intune.hiddenFromList.add(PC1);
    const read = await readManagedDevices(requests(), listSelect(config));
    assert.ok(read.health.complete);
    await checkEnrolledCount(requests(), read.health);
    assert.equal(read.health.complete, false);
    assert.deepEqual(read.health.problems, ['Intune counts 5 enrolled devices but the list returned 4']);
  });

  it('detected apps: v1.0 tenant-wide and beta per device give the same apps; per device exists only in beta', async () => {
    const ids = (await readManagedDevices(requests(), listSelect(config))).devices.map((d) => d.id);
    const v1 = await readDetectedApps(requests(), ids, 'v1.0');
    const beta = await readDetectedApps(requests(), ids, 'beta');
    const sorted = (m: Map<string, { name: string; version: string }[]>) =>
      [...m].map(([id, apps]) => [id, apps.map((a) => `${a.name} ${a.version}`).sort()]).sort();
    assert.deepEqual(sorted(v1.byDevice), sorted(beta.byDevice));
    assert.equal(v1.byDevice.get(PC1.toLowerCase())!.length, 4);
    assert.equal(v1.endpoint, 'v1.0');
    assert.equal(beta.endpoint, 'beta');
    const auto = await readDetectedApps(requests(), ids, 'auto');
    assert.match(auto.why, /^auto: 6 apps in use > 5 devices, so per device \(beta\)/);
    const v1PerDevice = await get(`/v1.0/deviceManagement/managedDevices/${PC1}/detectedApps`);
    assert.equal(v1PerDevice.status, 400);
  });

  it('Intune’s limit: over it, 429 with Retry-After per tenant; the readers wait and finish', async () => {
    sim.intune.throttle = { requests: 3, windowMs: 1000 };
    const before = sim.intune.throttled.get(CONTOSO) ?? 0;
    const graph = simulatorGraph(sim).forTenant(CONTOSO);
    const reqs = intuneRequests(graph, config);
    const ids = (await readManagedDevices(reqs, listSelect(config))).devices.map((d) => d.id);
    const details = await readDeviceDetails(reqs, ids, ['physicalMemoryInBytes']);
    assert.equal(details.size, ids.length, 'every device read in the end');
    assert.ok((sim.intune.throttled.get(CONTOSO) ?? 0) > before, 'Intune answered 429s');
    assert.equal(reqs.counts.items, 1 + ids.length, 'every $batch item counted against the limit');
    sim.intune.throttle = { requests: 1, windowMs: 60_000 };
    const fabrikam = await simulatorToken(sim, '22222222-2222-4222-8222-222222222222');
    const northwind = await simulatorToken(sim, '33333333-3333-4333-8333-333333333333');
    const call = (bearer: string) =>
      fetch(`${sim.url}/v1.0/deviceManagement/managedDeviceOverview`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    assert.equal((await call(fabrikam)).status, 200);
    const limited = await call(fabrikam);
    assert.equal(limited.status, 429);
    assert.match(String(limited.headers.get('retry-after')), /^[1-9]\d*$/);
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
    assert.equal((await call(northwind)).status, 200, 'per tenant: another tenant is not throttled');
  });
});
