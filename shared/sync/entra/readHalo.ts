import type { EntraConnection, EntraSyncConfig } from '../../config/integration/entra';
import { HaloApiError, type HaloClient, HaloReportError } from '../../halo';
import type { Logger } from '../../runtime/logger';
import {
  agentRowSchema,
  cabRowSchema,
  dropUndefined,
  type HaloAgentRecord,
  type HaloEntraSnapshot,
  type HaloUserRecord,
  parseRows,
  roleRowSchema,
  siteRowSchema,
  teamRowSchema,
  userIdentityRowSchema,
  userRoleRowSchema,
  userRowSchema,
} from './haloSnapshot';

/**
 * Halo, read in bulk for one plan: agents (one unpaged GET with their roles, disabled ones and the Unassigned
 * agent), teams, agent roles, user roles and CABs (one GET each, only when mapped), sites and users (paged
 * lists), and, when reports are allowed, one SQL report for users' Entra object ids (list rows do not carry
 * them). About 6 requests plus one per 100 sites and users.
 */
export async function readHalo(
  halo: HaloClient,
  config: EntraSyncConfig,
  connection: EntraConnection,
  agentLinks: Readonly<Record<string, number>>,
  log: Logger,
): Promise<HaloEntraSnapshot> {
  const skipped: string[] = [];
  const groups = connection.groups;
  const wantsRoles = groups.agentRoles.length > 0 || connection.roles.fullRoleManagement || connection.licences.manage;
  const [agentRows, teamRows, roleRows, userRoleRows, cabRows, siteRows] = await Promise.all([
    halo.listUnpaged('/Agent', { query: { includedisabled: true, includeroles: true, includeunassigned: true } }),
    halo.listUnpaged('/Team', { query: { includedisabled: true } }),
    wantsRoles ? halo.listUnpaged('/Roles') : Promise.resolve([]),
    groups.userRoles.length > 0 ||
    connection.roles.noManagerUserRoleId !== undefined ||
    hasUserRoleOnMapping(connection)
      ? halo.listUnpaged('/UserRoles')
      : Promise.resolve([]),
    groups.cabs.length > 0 ? halo.listUnpaged('/CAB', { query: { includemembers: true } }) : Promise.resolve([]),
    halo.list('/Site', { key: 'sites', query: { includeinactive: true } }),
  ]);
  const roles = parseRows(roleRowSchema, roleRows, 'GET /Roles', skipped);
  const userRoles = parseRows(userRoleRowSchema, userRoleRows, 'GET /UserRoles', skipped);
  const roleByName = new Map(roles.map((r) => [r.name.toLowerCase(), r.id]));
  const agents = parseRows(agentRowSchema, agentRows, 'GET /Agent', skipped).map(({ roleList, ...agent }) =>
    withRoleIds(agent, roleList, roleByName),
  );
  const users = await readUsers(halo, config, connection, userRoles, skipped, log);
  return {
    agents,
    users: users.records,
    sites: parseRows(siteRowSchema, siteRows, 'GET /Site', skipped),
    teams: parseRows(teamRowSchema, teamRows, 'GET /Team', skipped),
    roles,
    userRoles,
    cabs: parseRows(cabRowSchema, cabRows, 'GET /CAB', skipped).map((c) => ({
      id: c.id,
      name: c.name,
      members: (c.members ?? []).map((m) =>
        dropUndefined({ agent_id: m.agent_id, user_id: m.user_id, role_id: m.role_id }),
      ),
    })),
    agentLinks,
    skippedRows: skipped,
    usersFrom: users.from,
  };
}

function hasUserRoleOnMapping(connection: EntraConnection): boolean {
  return connection.siteMappings.some((m) => m.userRoleId !== undefined);
}

/** Role ids from the list row's `roles`, else from its `role_list` names (a role not in the catalogue is dropped). */
function withRoleIds(
  agent: HaloAgentRecord,
  roleList: string | undefined,
  roleByName: ReadonlyMap<string, string>,
): HaloAgentRecord {
  if (agent.roleIds !== undefined || roleList === undefined) return agent;
  const ids = roleList
    .split(',')
    .map((n) => roleByName.get(n.trim().toLowerCase()))
    .filter((id): id is string => id !== undefined);
  return { ...agent, roleIds: ids };
}

async function readUsers(
  halo: HaloClient,
  config: EntraSyncConfig,
  connection: EntraConnection,
  userRoles: readonly { id: number; name: string }[],
  skipped: string[],
  log: Logger,
): Promise<{ records: HaloUserRecord[]; from: HaloEntraSnapshot['usersFrom'] }> {
  const rows = parseRows(
    userRowSchema,
    await halo.list('/Users', { key: 'users', query: { includeinactive: true } }),
    'GET /Users',
    skipped,
  );
  const roleByName = new Map(userRoles.map((r) => [r.name.toLowerCase(), r.id]));
  const keep = connection.deactivation.keepActiveField;
  const oids = config.halo.useReports ? await readUserOids(halo, skipped, log) : undefined;
  const records = rows.map(({ roleList, customfieldNames, ...row }): HaloUserRecord => {
    const keepValue = keep ? customfieldNames?.[keep.name.replace(/^cf/i, '').toLowerCase()] : undefined;
    return dropUndefined({
      ...row,
      azureoid: oids ? (oids.get(row.id) ?? '') : undefined,
      keepActiveValue: keepValue,
      roleIds:
        roleList === undefined
          ? undefined
          : roleList
              .split(',')
              .map((n) => roleByName.get(n.trim().toLowerCase()))
              .filter((id): id is number => id !== undefined),
    });
  });
  return { records, from: oids ? 'list+report' : 'list' };
}

/** Users' Entra object ids, by user id, from one SQL report; undefined when the report is refused. */
export async function readUserOids(
  halo: HaloClient,
  skipped: string[],
  log: Logger,
): Promise<Map<number, string> | undefined> {
  try {
    const rows = await halo.runReport(`SELECT Uid AS id, UAzureOID AS azureoid FROM USERS`);
    const parsed = parseRows(userIdentityRowSchema, rows, 'Entra ID sync: users report', skipped);
    return new Map(parsed.filter((r) => r.azureoid !== '').map((r) => [r.id, r.azureoid.toLowerCase()]));
  } catch (error) {
    if (!(error instanceof HaloReportError || (error instanceof HaloApiError && error.status === 403))) throw error;
    log.warn('Entra ID sync: the users report was refused; users are matched by their fields only', {
      problem: (error as Error).message,
    });
    return undefined;
  }
}

/** The open tickets of each agent (for reassignment to Unassigned), one paged list per agent. */
export async function readOpenTickets(
  halo: HaloClient,
  agentIds: readonly number[],
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const agentId of agentIds) {
    const rows = await halo.list('/Tickets', { key: 'tickets', query: { agent_id: agentId, open_only: true } });
    out[String(agentId)] = rows
      .map((row) => Number((row as { id?: unknown } | null)?.id))
      .filter((id) => Number.isInteger(id) && id > 0);
  }
  return out;
}
