import type { EntraConnection } from '../../../config/integration/entra';
import type { Directory, DirUser } from '../directory';
import { groupNamesByUser } from '../directory';
import type { HaloAgentRecord, HaloEntraSnapshot, HaloSiteRecord, HaloUserRecord } from '../haloSnapshot';

/** How a user left this round (or came back). */
export type UserEvent = 'changed' | 'restored' | 'softDeleted' | 'deleted' | 'notFound' | 'affected';

/** Everything the planner needs: plain data, so that its rules are tested without a network. */
export interface PlanInput {
  readonly connection: EntraConnection;
  readonly settings: {
    readonly licenceTypes: { readonly named: number; readonly concurrent: number };
    readonly unassignedAgentName: string;
  };
  /** The directory after this round, and as it was before (undefined on the first run). */
  readonly directory: Directory;
  readonly previous: Directory | undefined;
  /** The users to plan, with what the round said about them. */
  readonly users: readonly { readonly id: string; readonly event: UserEvent; readonly gone?: DirUser }[];
  readonly halo: HaloEntraSnapshot;
}

/** Lookups built once per plan. */
export interface PlanIndex {
  readonly input: PlanInput;
  readonly groupsOf: (oid: string) => ReadonlySet<string>;
  readonly agentById: ReadonlyMap<number, HaloAgentRecord>;
  readonly userById: ReadonlyMap<number, HaloUserRecord>;
  readonly siteById: ReadonlyMap<number, HaloSiteRecord>;
  readonly teamByName: ReadonlyMap<string, { id: number; name: string }>;
  readonly teamById: ReadonlyMap<number, { id: number; name: string }>;
  readonly roleName: (id: string) => string;
  readonly userRoleName: (id: number) => string;
  /** Halo users by their (known) Entra object id, lower-cased. */
  readonly usersByOid: ReadonlyMap<string, HaloUserRecord[]>;
  /** Agent id → the Entra user the link map gives it to. */
  readonly oidOfAgent: ReadonlyMap<number, string>;
}

export function buildIndex(input: PlanInput): PlanIndex {
  const groups = groupNamesByUser(input.directory);
  const empty = new Set<string>();
  const { halo } = input;
  const usersByOid = new Map<string, HaloUserRecord[]>();
  for (const user of halo.users) {
    if (!user.azureoid) continue;
    const list = usersByOid.get(user.azureoid.toLowerCase()) ?? [];
    list.push(user);
    usersByOid.set(user.azureoid.toLowerCase(), list);
  }
  const roleNames = new Map(halo.roles.map((r) => [r.id, r.name]));
  const userRoleNames = new Map(halo.userRoles.map((r) => [r.id, r.name]));
  return {
    input,
    groupsOf: (oid) => groups.get(oid) ?? empty,
    agentById: new Map(halo.agents.map((a) => [a.id, a])),
    userById: new Map(halo.users.map((u) => [u.id, u])),
    siteById: new Map(halo.sites.map((s) => [s.id, s])),
    teamByName: new Map(halo.teams.filter((t) => !t.inactive).map((t) => [t.name.trim().toLowerCase(), t])),
    teamById: new Map(halo.teams.map((t) => [t.id, t])),
    roleName: (id) => roleNames.get(id) ?? `role ${id}`,
    userRoleName: (id) => userRoleNames.get(id) ?? `user role ${id}`,
    usersByOid,
    oidOfAgent: new Map(Object.entries(halo.agentLinks).map(([oid, id]) => [id, oid.toLowerCase()])),
  };
}
