import { type Stack, startStack } from '../dev/stack';
import { countPerRecordRequests, type IntunePlan } from '../shared/sync/intune';
import { readDetectedApps } from '../shared/sync/intune/graphSoftware';
import { intuneRequests } from '../shared/sync/intune/planSource';
import { fleetConfig, generateFleet } from './intuneFleet';
import { applyRunToEnd } from './syncRun';
import type { Benchmark, Figure } from './types';

const TENANTS = 20;
const DEVICES_PER_TENANT = 500;
const CHANGED_FRACTION = 0.01;

interface RunFigures {
  halo: number;
  haloWrites: number;
  graph: number;
  /** Requests Intune counts against its limit (each $batch item, each page). */
  intuneItems: number;
  wallMs: number;
  plans: IntunePlan[];
}

async function measuredRun(stack: Stack): Promise<RunFigures> {
  stack.halo.resetCounters();
  const graphBefore = stack.graph.requests().length;
  const { runId, wallMs } = await applyRunToEnd(stack, 'intune');
  const api = Object.entries(stack.halo.counters().byEndpoint).filter(([k]) => k.includes(' /api/'));
  const report = await stack.container.reports.get(`intune-sync/${runId}/report.json`);
  const plans = (JSON.parse(report!.content.toString('utf8')) as { tenants: IntunePlan[] }).tenants;
  const graph = stack.graph.requests().slice(graphBefore);
  return {
    halo: api.reduce((n, [, v]) => n + v, 0),
    haloWrites: api.filter(([k]) => k.startsWith('POST') && k !== 'POST /api/report').reduce((n, [, v]) => n + v, 0),
    graph: graph.filter((r) => r.scope !== 'batch').length,
    intuneItems: graph.filter((r) => /managedDevice|detectedApps/.test(r.route)).length,
    wallMs,
    plans,
  };
}

function figuresOf(label: string, run: RunFigures): Figure[] {
  const perRecord = countPerRecordRequests(run.plans);
  return [
    { name: `${label}: planned changes`, value: run.plans.reduce((n, p) => n + p.changes.length, 0), unit: 'changes' },
    { name: `${label}: Halo requests (bulk reads + batched writes)`, value: run.halo, unit: 'requests' },
    { name: `${label}: of which writes (arrays of up to 100)`, value: run.haloWrites, unit: 'requests' },
    { name: `${label}: Halo requests the per-record way`, value: perRecord, unit: 'requests' },
    { name: `${label}: ours / per-record`, value: run.halo / Math.max(1, perRecord), unit: 'ratio' },
    { name: `${label}: Graph requests on the wire (tokens included)`, value: run.graph, unit: 'requests' },
    {
      name: `${label}: Intune requests counted against its limit ($batch items each)`,
      value: run.intuneItems,
      unit: 'requests',
    },
    { name: `${label}: wall time`, value: run.wallMs, unit: 'ms' },
  ];
}

/** Graph requests for detected apps of the whole fleet, per endpoint: wire requests and Intune-counted items. */
async function softwareCost(stack: Stack, tenantIds: readonly string[]): Promise<Figure[]> {
  const out: Figure[] = [];
  const chosen: Record<string, number> = {};
  for (const endpoint of ['v1.0', 'beta', 'auto'] as const) {
    let wire = 0;
    let items = 0;
    for (const tenantId of tenantIds) {
      const graph = stack.container.graph!.forTenant(tenantId);
      const requests = intuneRequests(graph, stack.container.config.intuneSync);
      const ids = stack.graph.intune.devices(tenantId).map((d) => String(d.id));
      const read = await readDetectedApps(requests, ids, endpoint);
      wire += requests.counts.wire;
      items += requests.counts.items;
      if (endpoint === 'auto') chosen[read.endpoint] = (chosen[read.endpoint] ?? 0) + 1;
    }
    out.push({ name: `software via ${endpoint}: Graph requests on the wire`, value: wire, unit: 'requests' });
    out.push({ name: `software via ${endpoint}: requests counted by Intune`, value: items, unit: 'requests' });
  }
  for (const [endpoint, tenants] of Object.entries(chosen))
    out.push({ name: `auto chose ${endpoint} for`, value: tenants, unit: 'tenants' });
  return out;
}

export const benchmarks: Benchmark[] = [
  {
    name: `intune: ${TENANTS} tenants x ${DEVICES_PER_TENANT} devices, first run, no change, 1% changed`,
    async run() {
      const fleet = generateFleet({ tenants: TENANTS, devicesPerTenant: DEVICES_PER_TENANT });
      const stack = await startStack({
        graphSeed: fleet.graph as never,
        haloSeed: fleet.halo,
        haloRateLimit: false,
        settings: { HALO_RATE_LIMIT_REQUESTS: '1000000' },
        config: (demo) => ({ ...demo, intuneSync: fleetConfig('auto') }),
      });
      try {
        const first = await measuredRun(stack);
        const unchanged = await measuredRun(stack);
        let changed = 0;
        for (const tenantId of fleet.tenantIds) {
          const devices = stack.graph.intune.devices(tenantId);
          const count = Math.round(devices.length * CHANGED_FRACTION);
          for (const device of devices.slice(0, count)) {
            stack.graph.intune.upsertDevice(tenantId, { id: device.id, osVersion: '10.0.26100.2314' });
            changed++;
          }
        }
        const onePercent = await measuredRun(stack);
        const perRecord = countPerRecordRequests(first.plans);
        return [
          { name: 'managed devices in Intune', value: fleet.devices, unit: 'devices' },
          {
            name: 'Halo assets before the first run (matched by serial number)',
            value: fleet.halo.assets!.length,
            unit: 'assets',
          },
          ...figuresOf('first run', first),
          {
            name: 'target: first run ≤ 1/20 of per-record (1 = met)',
            value: first.halo * 20 <= perRecord ? 1 : 0,
            unit: '',
          },
          ...figuresOf('no change', unchanged),
          {
            name: 'target: no-change run writes nothing to Halo (1 = met)',
            value: unchanged.haloWrites === 0 ? 1 : 0,
            unit: '',
          },
          { name: 'devices changed in Intune (OS version)', value: changed, unit: 'devices' },
          ...figuresOf('1% changed', onePercent),
          ...(await softwareCost(stack, fleet.tenantIds)),
        ];
      } finally {
        await stack.stop();
      }
    },
  },
];
