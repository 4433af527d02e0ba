import type { HaloSeed, Rec } from '../dev/halo-sim';
import { type Stack, startStack } from '../dev/stack';
import type { TenantPlan } from '../shared/sync/contacts';
import { countPerRecordRequests, generateSyncDataset, mutateUsers, type SyncDataset } from '../shared/sync/contacts';
import { demoHaloSetup, partnerGraphSeed } from './support/seeds';
import { applyRunToEnd } from './syncRun';
import type { Benchmark, Figure } from './types';

const TENANTS = 50;
const USERS_PER_TENANT = 200;
const CHANGED_FRACTION = 0.01;

/** The generated dataset as the simulators' seeds: one world on both sides (partner tenant lists every tenant). */
function seeds(dataset: SyncDataset): { graph: object; halo: HaloSeed } {
  const graph = partnerGraphSeed(
    dataset.tenants.map((t) => ({
      id: t.tenantId,
      displayName: t.displayName,
      domains: t.verifiedDomains.map((d) => ({ id: d, isDefault: d === t.defaultDomain, isVerified: true })),
      users: t.users.map((u) => ({ ...u, displayName: u.displayName ?? u.userPrincipalName })),
    })),
  );
  const mainSites = new Set(dataset.halo.clients.map((c) => c.main_site_id));
  const halo: HaloSeed = {
    ...demoHaloSetup(),
    clients: dataset.halo.clients.map((c) => ({ ...c }) as Rec),
    sites: dataset.halo.sites.map((s) => ({ ...s, inactive: false, isinvoicesite: mainSites.has(s.id) }) as Rec),
    users: dataset.halo.users.map((u) => {
      const { isGeneralUser, customfields, client_id: _derived, ...rest } = u;
      return {
        ...rest,
        isgeneraluser: isGeneralUser === true,
        // Halo's API names a custom field without the `CF` its SQL column has.
        customfields: customfields.map((f, i) => ({ id: 100 + i, name: f.name.replace(/^CF/, ''), value: f.value })),
      } as Rec;
    }),
  };
  return { graph, halo };
}

interface RunFigures {
  halo: number;
  haloWrites: number;
  graph: number;
  wallMs: number;
  plans: TenantPlan[];
}

async function measuredRun(stack: Stack): Promise<RunFigures> {
  stack.halo.resetCounters();
  const graphBefore = stack.graph.requests().length;
  const { runId, wallMs } = await applyRunToEnd(stack, 'contacts');
  const api = Object.entries(stack.halo.counters().byEndpoint).filter(([k]) => k.includes(' /api/'));
  const report = await stack.container.reports.get(`tenant-sync/${runId}/report.json`);
  const plans = (JSON.parse(report!.content.toString('utf8')) as { tenants: TenantPlan[] }).tenants;
  return {
    halo: api.reduce((n, [, v]) => n + v, 0),
    haloWrites: api.filter(([k]) => /^POST \/api\/(client|users)$/.test(k)).reduce((n, [, v]) => n + v, 0),
    graph: stack.graph.requests().length - graphBefore,
    wallMs,
    plans,
  };
}

function figuresOf(label: string, run: RunFigures): Figure[] {
  const perRecord = countPerRecordRequests(run.plans);
  const changes = run.plans.reduce((n, p) => n + p.changes.length, 0);
  return [
    { name: `${label}: planned changes`, value: changes, unit: 'changes' },
    { name: `${label}: Halo requests (bulk reads + batched writes)`, value: run.halo, unit: 'requests' },
    { name: `${label}: of which write batches`, value: run.haloWrites, unit: 'requests' },
    { name: `${label}: Halo requests the per-record way`, value: perRecord, unit: 'requests' },
    { name: `${label}: ours / per-record`, value: run.halo / Math.max(1, perRecord), unit: 'ratio' },
    { name: `${label}: Graph requests (tokens included)`, value: run.graph, unit: 'requests' },
    { name: `${label}: wall time`, value: run.wallMs, unit: 'ms' },
  ];
}

export const benchmarks: Benchmark[] = [
  {
    name: `sync: ${TENANTS} tenants x ${USERS_PER_TENANT} users, first run, 1% changed, no changes`,
    async run() {
      const dataset = generateSyncDataset({ tenants: TENANTS, usersPerTenant: USERS_PER_TENANT, seed: 7 });
      const { graph, halo } = seeds(dataset);
      const stack = await startStack({
        graphSeed: graph as never,
        haloSeed: halo,
        haloRateLimit: false,
        settings: { HALO_RATE_LIMIT_REQUESTS: '1000000' },
      });
      try {
        const first = await measuredRun(stack);
        const mutated = mutateUsers(dataset, CHANGED_FRACTION);
        let changedUsers = 0;
        for (const [t, tenant] of mutated.tenants.entries()) {
          for (const [u, user] of tenant.users.entries()) {
            const before = dataset.tenants[t]!.users[u]!;
            if (before.jobTitle === user.jobTitle && before.mobilePhone === user.mobilePhone) continue;
            changedUsers++;
            stack.graph.store.upsertUser(tenant.tenantId, {
              id: user.id,
              jobTitle: user.jobTitle,
              mobilePhone: user.mobilePhone,
            });
          }
        }
        const second = await measuredRun(stack);
        const third = await measuredRun(stack);
        const firstPerRecord = countPerRecordRequests(first.plans);
        return [
          { name: 'Halo contacts before the first run', value: halo.users.length, unit: 'contacts' },
          ...figuresOf('first run', first),
          {
            name: 'target: first run ≤ 1/20 of per-record (1 = met)',
            value: first.halo * 20 <= firstPerRecord ? 1 : 0,
            unit: '',
          },
          { name: 'users changed in Microsoft 365 (title, mobile)', value: changedUsers, unit: 'users' },
          ...figuresOf('1% changed', second),
          ...figuresOf('no changes', third),
          {
            name: 'target: no-change run = bulk reads only (1 = met)',
            value: third.haloWrites === 0 ? 1 : 0,
            unit: '',
          },
        ];
      } finally {
        await stack.stop();
      }
    },
  },
];
