import { syntheticGuid } from '../dev/graph-sim';
import { deleteUser, removeMembers, updateUser } from '../dev/graph-sim/directory';
import type { HaloSeed, Rec } from '../dev/halo-sim';
import { loadDemoHaloSeed } from '../dev/halo-sim';
import { DEMO_GRAPH_APP, type Stack, startStack } from '../dev/stack';
import type { EntraPlan } from '../shared/sync/entra';
import { applyRunToEnd } from './syncRun';
import type { Benchmark, Figure } from './types';

const USERS = 5_000;
const GROUPS = 200;
const AGENTS = 100;
const TENANT = DEMO_GRAPH_APP.homeTenantId;
const ROLE = { admin: 'bench-role-admin', tech: 'bench-role-tech' };
const DEPARTMENT_GROUPS = GROUPS - 3;

// Three parts: with two, the GUID shape overwrites a digit of the number and ids repeat after 4,096.
const userId = (n: number) => syntheticGuid(0xe1, 0, n);
const groupId = (n: number) => syntheticGuid(0xe2, 0, n);
const email = (n: number) => `person${n}@bench.example`;
const department = (n: number) => n % DEPARTMENT_GROUPS;

/**
 * One Entra tenant of 5,000 users in 200 groups: "Halo Agents" (100 users), "Halo Admins" (10), "Change Board"
 * (5) and 197 department groups; every user has a manager (the first of its block of 25). Halo starts with 500 of
 * the users as contacts (matched by email) and 20 of the agents (matched by email).
 */
function seeds(): { graph: object; halo: HaloSeed } {
  const users = Array.from({ length: USERS }, (_, i) => {
    const n = i + 1;
    const lead = n - ((n - 1) % 25);
    return {
      id: userId(n),
      displayName: `Person ${n}`,
      givenName: 'Person',
      surname: String(n),
      userPrincipalName: email(n),
      mail: email(n),
      accountEnabled: true,
      userType: 'Member',
      jobTitle: 'Consultant',
      department: `Department ${department(n)}`,
      officeLocation: 'Head Office',
      ...(lead !== n ? { managerId: userId(lead) } : {}),
    };
  });
  const members = (pick: (n: number) => boolean) =>
    users
      .map((_, i) => i + 1)
      .filter(pick)
      .map(userId);
  const groups = [
    { id: groupId(1), displayName: 'Halo Agents', members: members((n) => n <= AGENTS) },
    { id: groupId(2), displayName: 'Halo Admins', members: members((n) => n <= 10) },
    { id: groupId(3), displayName: 'Change Board', members: members((n) => n <= 5) },
    ...Array.from({ length: DEPARTMENT_GROUPS }, (_, d) => ({
      id: groupId(10 + d),
      displayName: `Department ${d}`,
      members: members((n) => department(n) === d),
    })),
  ];
  const graph = {
    app: { clientId: DEMO_GRAPH_APP.clientId, secrets: [DEMO_GRAPH_APP.secret] },
    tenants: [{ id: TENANT, displayName: 'Bench', domains: [{ id: 'bench.example', isDefault: true }], users, groups }],
  };
  const demo = loadDemoHaloSeed();
  const halo: HaloSeed = {
    statuses: demo.statuses,
    outcomes: demo.outcomes,
    ticketTypes: demo.ticketTypes,
    clients: [{ id: 1, name: 'Bench Co', inactive: false } as Rec],
    sites: [{ id: 1, name: 'Head Office', client_id: 1, inactive: false } as Rec],
    users: [
      { id: 100, name: 'General User', site_id: 1, isgeneraluser: true, inactive: false } as Rec,
      ...Array.from(
        { length: 500 },
        (_, i) =>
          ({
            id: 1000 + i,
            name: `Person ${i * 10 + 1}`,
            emailaddress: email(i * 10 + 1),
            site_id: 1,
            inactive: false,
          }) as Rec,
      ),
    ],
    agents: [
      { id: 1, name: 'API Agent', email: 'api@bench.example', isapiagent: true, isdisabled: false } as Rec,
      { id: 2, name: 'Unassigned', email: '', isunassigned: true, isdisabled: false } as Rec,
      ...Array.from(
        { length: 20 },
        (_, i) => ({ id: 10 + i, name: `Person ${i + 1}`, email: email(i + 1), isdisabled: false }) as Rec,
      ),
    ],
    teams: Array.from({ length: 10 }, (_, t) => ({ id: t + 1, name: `Team ${t}`, inactive: false }) as Rec),
    roles: [
      { id: ROLE.admin, name: 'Administrator' },
      { id: ROLE.tech, name: 'Technician' },
    ],
    userRoles: [{ id: 1, name: 'Basic' }],
    cabs: [{ id: 1, name: 'Change Board', members: [] } as Rec],
  };
  return { graph, halo };
}

function connection(demo: Record<string, unknown>): Record<string, unknown> {
  return {
    ...demo,
    tenantSync: { ...(demo.tenantSync as object), enabled: false },
    entraSync: {
      enabled: true,
      mode: 'apply',
      connections: [
        {
          name: 'Bench tenant',
          tenantId: TENANT,
          syncMethod: 'mappedFields',
          fields: {
            agents: [
              { entra: 'displayName', halo: 'name' },
              { entra: 'mail', halo: 'email' },
              { entra: 'jobTitle', halo: 'jobtitle' },
              { entra: 'manager', halo: 'linemanager' },
            ],
          },
          siteMappings: [
            { type: 'existingSite', siteId: 'agent', group: 'Halo Agents' },
            { type: 'existingSite', siteId: 1, userRoleId: 1 },
          ],
          groups: {
            agentRoles: [
              { group: 'Halo Agents', roleId: ROLE.tech },
              { group: 'Halo Admins', roleId: ROLE.admin },
            ],
            agentTeams: Array.from({ length: 10 }, (_, t) => ({ group: `Department ${t}`, teamId: t + 1 })),
            cabs: [{ group: 'Change Board', cabId: 1 }],
          },
          roles: { fullRoleManagement: true },
          licences: { manage: true, namedRoleIds: [ROLE.admin] },
          deactivation: { users: true, agents: true },
        },
      ],
    },
  };
}

interface RunFigures {
  halo: number;
  haloReads: number;
  haloWrites: number;
  graph: number;
  changes: number;
  wallMs: number;
  plan: EntraPlan;
}

async function measuredRun(stack: Stack): Promise<RunFigures> {
  stack.halo.resetCounters();
  const graphBefore = stack.graph.requests().length;
  const { runId, wallMs } = await applyRunToEnd(stack, 'entra');
  const api = Object.entries(stack.halo.counters().byEndpoint).filter(([k]) => k.includes(' /api/'));
  const report = await stack.container.reports.get(`entra-sync/${runId}/report.json`);
  const plan = (JSON.parse(report!.content.toString('utf8')) as { connections: EntraPlan[] }).connections[0]!;
  const writes = api.filter(([k]) => k.startsWith('POST') && k !== 'POST /api/report').reduce((n, [, v]) => n + v, 0);
  const total = api.reduce((n, [, v]) => n + v, 0);
  return {
    halo: total,
    haloReads: total - writes,
    haloWrites: writes,
    graph: stack.graph.requests().length - graphBefore,
    changes: plan.changes.length,
    wallMs,
    plan,
  };
}

function figuresOf(label: string, run: RunFigures): Figure[] {
  return [
    { name: `${label}: users planned`, value: run.plan.log.length, unit: 'users' },
    { name: `${label}: planned changes (Halo records written)`, value: run.changes, unit: 'changes' },
    { name: `${label}: Halo requests`, value: run.halo, unit: 'requests' },
    { name: `${label}: of which bulk reads`, value: run.haloReads, unit: 'requests' },
    { name: `${label}: of which write batches`, value: run.haloWrites, unit: 'requests' },
    {
      name: `${label}: Halo requests per changed record`,
      value: run.halo / Math.max(1, run.changes),
      unit: 'requests',
    },
    { name: `${label}: Graph requests (token included)`, value: run.graph, unit: 'requests' },
    { name: `${label}: wall time`, value: run.wallMs, unit: 'ms' },
  ];
}

export const benchmarks: Benchmark[] = [
  {
    name: `entra: 1 connection, ${USERS} users, ${GROUPS} groups: first run, 1% changed, no change`,
    async run() {
      const { graph, halo } = seeds();
      const stack = await startStack({
        graphSeed: graph as never,
        haloSeed: halo,
        haloRateLimit: false,
        settings: { HALO_RATE_LIMIT_REQUESTS: '1000000' },
        config: connection,
      });
      try {
        const first = await measuredRun(stack);
        // 1% of the users change: 30 new job titles, 10 leave a department group, 5 disabled, 5 deleted.
        const store = stack.graph.store;
        for (let n = 1001; n <= 1030; n++) updateUser(store, TENANT, { id: userId(n), jobTitle: 'Senior Consultant' });
        for (let n = 2001; n <= 2010; n++) removeMembers(store, TENANT, groupId(10 + department(n)), [userId(n)]);
        for (let n = 3001; n <= 3005; n++) updateUser(store, TENANT, { id: userId(n), accountEnabled: false });
        for (let n = 4001; n <= 4005; n++) deleteUser(store, TENANT, userId(n), 'soft');
        const second = await measuredRun(stack);
        const third = await measuredRun(stack);
        return [
          ...figuresOf('first run', first),
          {
            name: 'target: first run ≤ 1/20 of one Halo request per changed record (1 = met)',
            value: first.halo * 20 <= first.changes ? 1 : 0,
            unit: '',
          },
          { name: '1% changed: users changed in Entra', value: 50, unit: 'users' },
          ...figuresOf('1% changed', second),
          ...figuresOf('no change', third),
          {
            name: 'target: no change = 1 Graph request per resource (users, groups) and 0 Halo writes (1 = met)',
            value: third.graph === 2 && third.haloWrites === 0 ? 1 : 0,
            unit: '',
          },
        ];
      } finally {
        await stack.stop();
      }
    },
  },
];
