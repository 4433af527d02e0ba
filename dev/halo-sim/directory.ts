import { notFound, SimError, validationError } from './simError';
import { applyPatch, type HaloSimStore, type TableName } from './store';
import type { Rec } from './types';

/**
 * Halo's people side for the Entra ID sync: agents (`Uname`), teams (`SectionDetail`), agent roles (`NHD_Roles`,
 * **string ids**), user roles (`UserRoles`), CABs (`CabHeader` with `CabMember` rows) and the site and user rules
 * the sync meets. Shaped by the OpenAPI spec (test/fixtures/halo-openapi-subset.json, openapi-facts.json) and
 * entra-intune.md §B1–B4; as strict as Halo where it is known: `/Agent` and `/Team` ignore paging, an agent needs
 * a `name`, a role id sent as a number fails model binding, unknown roles, teams, CABs and sites are refused.
 * Where Halo's behaviour is unknown the simulator picks one and the README names it: posting `roles`, `teams` or a
 * CAB's `members` replaces the whole list; Halo's "Unassigned" agent is a seeded agent with `isunassigned`.
 */

/** The resource shape of resources.ts (kept structural here, so that this file imports no value from it). */
export interface DirectoryResource {
  table: TableName;
  envelope?: string;
  filter?: (rows: Rec[], q: Map<string, string>, store: HaloSimStore) => Rec[];
  view?: (row: Rec, q: Map<string, string>) => Rec;
  /** A list row after it was cut down to the `_List` schema (`row` is the whole record). */
  listView?: (listRow: Rec, row: Rec, q: Map<string, string>) => Rec;
  writeView?: (row: Rec) => Rec;
  create?: (item: Record<string, unknown>, ctx: { store: HaloSimStore }) => Rec;
  afterWrite?: (row: Rec, ctx: { store: HaloSimStore }) => void;
  validate?: (item: Record<string, unknown>, ctx: { store: HaloSimStore }) => void;
  readOnly?: boolean;
  updateOnly?: boolean;
  paging?: false;
}

const flag = (q: Map<string, string>, name: string) => ['true', '1'].includes((q.get(name) ?? '').toLowerCase());

function created(store: HaloSimStore, table: TableName, item: Record<string, unknown>): Rec {
  const row: Rec = { id: store.nextId(table) };
  applyPatch(row, item);
  return row;
}

// ---- validation of the lists an agent, user or CAB carries ----

function roleIdsOf(item: Record<string, unknown>, store: HaloSimStore): void {
  if (item.roles === undefined) return;
  if (!Array.isArray(item.roles)) throw validationError('roles must be an array');
  (item.roles as unknown[]).forEach((role, i) => {
    const id = (role as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') {
      // NHD_Roles.id is a string: a number fails .NET model binding before anything is saved.
      throw validationError(`The JSON value could not be converted to System.String. Path: $[0].roles[${i}].id`);
    }
    if (!store.roles.some((r) => r.id === id)) throw validationError(`Role ${id} does not exist`);
  });
}

function teamIdsOf(item: Record<string, unknown>, store: HaloSimStore): void {
  if (item.teams !== undefined) {
    if (!Array.isArray(item.teams)) throw validationError('teams must be an array');
    for (const team of item.teams as Rec[]) {
      if (!store.tables.teams.has(Number(team.team_id))) throw validationError(`Team ${team.team_id} does not exist`);
    }
  }
  if (typeof item.team === 'string' && item.team !== '' && !teamByName(store, item.team)) {
    throw validationError(`Team '${item.team}' does not exist`);
  }
}

function teamByName(store: HaloSimStore, name: string): Rec | undefined {
  return [...store.tables.teams.values()].find((t) => String(t.name).toLowerCase() === name.toLowerCase());
}

function validateAgent(item: Record<string, unknown>, store: HaloSimStore, creating: boolean): void {
  if (creating && (typeof item.name !== 'string' || item.name.trim() === '')) {
    throw validationError('Please enter a Name');
  }
  roleIdsOf(item, store);
  teamIdsOf(item, store);
  const manager = Number(item.linemanager ?? 0);
  if (manager > 0 && !store.tables.agents.has(manager)) throw validationError(`Line manager ${manager} does not exist`);
}

/** What Halo derives after an agent is saved: the default team's id, team and role names, line manager name. */
function denormaliseAgent(row: Rec, store: HaloSimStore): void {
  if (typeof row.team === 'string') {
    const team = teamByName(store, row.team);
    row.team_id = team?.id ?? 0;
    if (team) row.team = team.name;
  }
  if (Array.isArray(row.teams)) {
    row.teams = (row.teams as Rec[]).map((t) => ({
      ...t,
      agent_id: row.id,
      team_name: store.tables.teams.get(Number(t.team_id))?.name ?? '',
    }));
  }
  const roles = Array.isArray(row.roles) ? (row.roles as { id: unknown }[]) : [];
  const named = roles.map((r) => ({
    id: String(r.id),
    name: store.roles.find((x) => x.id === String(r.id))?.name ?? '',
  }));
  row.roles = named;
  row.role_list = named.map((r) => r.name).join(', ');
  const manager = store.tables.agents.get(Number(row.linemanager ?? 0));
  row.linemanager_name = manager ? manager.name : '';
  row.isdisabled ??= false;
}

function agentResource(): DirectoryResource {
  return {
    table: 'agents',
    paging: false,
    filter: (rows, q) => {
      let out = rows.filter((a) => flag(q, 'includeunassigned') || a.isunassigned !== true);
      if (!flag(q, 'includedisabled')) out = out.filter((a) => !a.isdisabled);
      return out;
    },
    // List rows (Uname_List) carry `role_list` but not `roles`; `includeroles` adds them.
    listView: (listRow, row, q) => (flag(q, 'includeroles') ? { ...listRow, roles: row.roles ?? [] } : listRow),
    validate: (item, ctx) => validateAgent(item, ctx.store, Number(item.id ?? 0) <= 0),
    create: (item, ctx) => created(ctx.store, 'agents', item),
    afterWrite: (row, ctx) => denormaliseAgent(row, ctx.store),
  };
}

function teamResource(): DirectoryResource {
  return {
    table: 'teams',
    paging: false,
    filter: (rows, q) => (flag(q, 'includedisabled') ? rows : rows.filter((t) => t.inactive !== true)),
    view: (row) => row,
  };
}

function userRoleResource(): DirectoryResource {
  return { table: 'userRoles', readOnly: true };
}

function validateCab(item: Record<string, unknown>, store: HaloSimStore): void {
  if (item.members === undefined) return;
  if (!Array.isArray(item.members)) throw validationError('members must be an array');
  for (const member of item.members as Rec[]) {
    const agentId = Number(member.agent_id ?? 0);
    const userId = Number(member.user_id ?? 0);
    if (agentId > 0 && !store.tables.agents.has(agentId)) throw validationError(`Agent ${agentId} does not exist`);
    if (userId > 0 && !store.tables.users.has(userId)) throw validationError(`User ${userId} does not exist`);
    if (agentId <= 0 && userId <= 0) throw validationError('A CAB member needs an agent_id or a user_id');
  }
}

function cabResource(): DirectoryResource {
  return {
    table: 'cabs',
    listView: (listRow, _row, q) => {
      if (flag(q, 'includemembers')) return listRow;
      const { members: _members, ...rest } = listRow;
      return rest as Rec;
    },
    validate: (item, ctx) => validateCab(item, ctx.store),
    afterWrite: (row, ctx) => {
      const members = Array.isArray(row.members) ? (row.members as Rec[]) : [];
      row.members = members.map((m) => {
        const agent = ctx.store.tables.agents.get(Number(m.agent_id ?? 0));
        const user = ctx.store.tables.users.get(Number(m.user_id ?? 0));
        return { ...m, cab_id: row.id, member_name: agent?.name ?? user?.name ?? '' };
      });
    },
  };
}

/** Users: their `roles` are user roles (integer ids) that must exist; list rows show them as `role_list`. */
export function validateUserRoles(item: Record<string, unknown>, store: HaloSimStore): void {
  if (item.roles === undefined) return;
  if (!Array.isArray(item.roles)) throw validationError('roles must be an array');
  for (const role of item.roles as Rec[]) {
    if (!store.tables.userRoles.has(Number(role.id))) throw validationError(`User role ${role.id} does not exist`);
  }
}

export function denormaliseUserRoles(row: Rec, store: HaloSimStore): void {
  if (!Array.isArray(row.roles)) return;
  row.roles = (row.roles as Rec[]).map((r) => ({
    id: r.id,
    name: store.tables.userRoles.get(Number(r.id))?.name ?? '',
  }));
  row.role_list = (row.roles as Rec[]).map((r) => r.name).join(', ');
}

/** A site needs a name and an existing client (entra-intune.md §B4; other required fields are unknown). */
export function validateSite(item: Record<string, unknown>, store: HaloSimStore): void {
  if (Number(item.id ?? 0) > 0) return;
  if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
  if (!store.tables.clients.has(Number(item.client_id))) throw validationError(`Invalid client_id ${item.client_id}`);
}

/** `GET /Roles` (a bare array; ids are strings) and `GET /Roles/{id}`. Read-only here. */
export function handleRoles(
  store: HaloSimStore,
  method: string,
  segments: string[],
): { status: number; body: unknown } {
  if (method !== 'GET')
    throw new SimError(405, { Message: `The requested resource does not support http method ${method}` });
  if (segments.length === 2) {
    const role = store.roles.find((r) => r.id === segments[1]);
    if (!role) throw notFound(`Role ${segments[1]}`);
    return { status: 200, body: role };
  }
  return { status: 200, body: store.roles.map((r) => ({ ...r })) };
}

/** Derived fields of the seeded agents and users (role and team names), as Halo would answer them. */
export function denormaliseDirectory(store: HaloSimStore): void {
  for (const agent of store.tables.agents.values()) denormaliseAgent(agent, store);
  for (const user of store.tables.users.values()) denormaliseUserRoles(user, store);
}

/** The resources this file adds or replaces, by lower-cased path segment. */
export function directoryResources(): Record<string, DirectoryResource> {
  return {
    agent: agentResource(),
    team: teamResource(),
    userroles: userRoleResource(),
    cab: cabResource(),
  };
}
