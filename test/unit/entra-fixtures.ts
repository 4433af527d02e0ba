import { type EntraConnection, entraConnectionSchema } from '../../shared/config/integration/entra';
import type { Directory, DirUser } from '../../shared/sync/entra/directory';
import type {
  HaloAgentRecord,
  HaloEntraSnapshot,
  HaloSiteRecord,
  HaloUserRecord,
} from '../../shared/sync/entra/haloSnapshot';
import { type PlanInput, type PlanResult, planConnection, type UserEvent } from '../../shared/sync/entra/plan';

/** Small builders for the Entra ID planner tests (plain data, no network). */

export const TENANT = '99999999-9999-4999-8999-999999999999';
export const ROLES = { admin: 'A1B2-ADMIN', tech: 'C3D4-TECH', inactive: 'E5F6-INACTIVE' } as const;

export function connection(overrides: Record<string, unknown> = {}): EntraConnection {
  return entraConnectionSchema.parse({
    name: 'Bridge MSP',
    tenantId: TENANT,
    siteMappings: [
      { type: 'existingSite', siteId: 'agent', group: 'Halo Agents' },
      { type: 'existingSite', siteId: 1 },
    ],
    ...overrides,
  });
}

export function dirUser(local: string, props: Record<string, unknown> = {}, extra: Partial<DirUser> = {}): DirUser {
  const upn = `${local}@bridgemsp.com`;
  return {
    id: `oid-${local}`,
    props: {
      displayName: `${local[0]!.toUpperCase()}${local.slice(1)} Person`,
      givenName: local,
      surname: 'Person',
      userPrincipalName: upn,
      mail: upn,
      accountEnabled: true,
      userType: 'Member',
      jobTitle: 'Engineer',
      ...props,
    },
    ...extra,
  };
}

export function directory(users: DirUser[], groups: Record<string, string[]> = {}): Directory {
  return {
    users: Object.fromEntries(users.map((u) => [u.id, u])),
    groups: Object.fromEntries(
      Object.entries(groups).map(([name, members], i) => [
        `group-${i}`,
        { id: `group-${i}`, displayName: name, members: members.map((m) => `oid-${m}`) },
      ]),
    ),
  };
}

export function agent(id: number, email: string, overrides: Partial<HaloAgentRecord> = {}): HaloAgentRecord {
  return {
    id,
    name: email.split('@')[0]!,
    email,
    isdisabled: false,
    isUnassigned: false,
    team: '',
    teams: [],
    roleIds: [],
    fields: {},
    ...overrides,
  };
}

export function haloUser(id: number, email: string, overrides: Partial<HaloUserRecord> = {}): HaloUserRecord {
  return {
    id,
    name: email.split('@')[0]!,
    emailaddress: email,
    site_id: 1,
    client_id: 1,
    azureoid: '',
    inactive: false,
    isGeneralUser: false,
    roleIds: [],
    fields: {},
    ...overrides,
  };
}

export const SITES: HaloSiteRecord[] = [
  { id: 1, name: 'Head Office', client_id: 1, inactive: false, emaildomain: 'bridgemsp.com' },
  { id: 2, name: 'London', client_id: 1, inactive: false },
  { id: 3, name: 'Old Site', client_id: 1, inactive: true },
];

export function halo(overrides: Partial<HaloEntraSnapshot> = {}): HaloEntraSnapshot {
  return {
    agents: [agent(90, 'unassigned@system', { name: 'Unassigned', isUnassigned: true })],
    users: [haloUser(5, '', { name: 'General User', isGeneralUser: true })],
    sites: SITES,
    teams: [
      { id: 1, name: 'Service Desk', inactive: false },
      { id: 2, name: 'Projects', inactive: false },
      { id: 3, name: 'Second Line', inactive: false },
    ],
    roles: [
      { id: ROLES.admin, name: 'Administrator' },
      { id: ROLES.tech, name: 'Technician' },
      { id: ROLES.inactive, name: 'No Licence' },
    ],
    userRoles: [
      { id: 1, name: 'Basic' },
      { id: 2, name: 'Manager' },
      { id: 3, name: 'Senior' },
    ],
    cabs: [{ id: 7, name: 'Change Board', members: [] }],
    agentLinks: {},
    skippedRows: [],
    usersFrom: 'list+report',
    ...overrides,
  };
}

export interface PlanOptions {
  connection?: EntraConnection;
  previous?: Directory;
  users?: { id: string; event: UserEvent; gone?: DirUser }[];
  halo?: HaloEntraSnapshot;
}

/** Plans every user of `dir` (event `changed`) unless `users` says otherwise. */
export function plan(dir: Directory, options: PlanOptions = {}): PlanResult {
  const input: PlanInput = {
    connection: options.connection ?? connection(),
    settings: { licenceTypes: { named: 1, concurrent: 0 }, unassignedAgentName: 'Unassigned' },
    directory: dir,
    previous: options.previous,
    users: options.users ?? Object.keys(dir.users).map((id) => ({ id, event: 'changed' as const })),
    halo: options.halo ?? halo(),
  };
  return planConnection(input);
}

export function kinds(result: PlanResult): string[] {
  return result.changes.map((c) => c.kind);
}
