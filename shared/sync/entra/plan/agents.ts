import type { AgentBody, AgentChange, CreateAgentChange, FieldChange, IdOrRef } from '../changes';
import { isRef } from '../changes';
import type { DirUser } from '../directory';
import { fieldValue, isEnabled, userLabel } from '../fieldValues';
import type { HaloAgentRecord, HaloTeamMembership } from '../haloSnapshot';
import type { PlanIndex } from './context';
import { fieldWrites } from './fields';
import type { Placement } from './placement';

/** The three memberships Halo grants for an agent's default team (SEED-E; field names entra-intune.md §B1.3). */
export const DEFAULT_TEAM_MEMBERSHIP = {
  in_section: true,
  unassigned_access: true,
  otheragent_access: true,
  fortickets: true,
} as const;
/** A team a group maps to: the agent can be assigned its tickets. */
export const MAPPED_TEAM_MEMBERSHIP = { in_section: true, fortickets: true } as const;

/** Why an agent should be inactive, or undefined when it should be active. */
export function disabledReason(user: DirUser, roleIds: readonly string[], index: PlanIndex): string | undefined {
  const { connection } = index.input;
  if (!isEnabled(user)) return 'the account is disabled in Entra (accountEnabled = false)';
  if (connection.roles.fullRoleManagement && roleIds.length === 0) {
    return 'full role management: none of its groups maps to an agent role';
  }
  if (connection.licences.manage) {
    const inactive = roleIds.find((id) => connection.licences.inactiveRoleIds.includes(id));
    if (inactive) return `licence management: role "${index.roleName(inactive)}" makes agents inactive`;
  }
  return undefined;
}

/** The agent roles its groups map to (in the order of the mappings). */
export function mappedRoleIds(oid: string, index: PlanIndex, groupsOf = index.groupsOf): string[] {
  const groups = groupsOf(oid);
  const ids: string[] = [];
  for (const mapping of index.input.connection.groups.agentRoles) {
    if (groups.has(mapping.group.trim()) && !ids.includes(mapping.roleId)) ids.push(mapping.roleId);
  }
  return ids;
}

function mappedTeamIds(oid: string, index: PlanIndex): number[] {
  const groups = index.groupsOf(oid);
  const ids: number[] = [];
  for (const mapping of index.input.connection.groups.agentTeams) {
    if (groups.has(mapping.group.trim()) && !ids.includes(mapping.teamId)) ids.push(mapping.teamId);
  }
  return ids;
}

export interface AgentPlanContext {
  readonly user: DirUser;
  readonly previous: DirUser | undefined;
  readonly placement: Placement & { agent: NonNullable<Placement['agent']> };
  /** The existing agent, or undefined when it is created. */
  readonly record: HaloAgentRecord | undefined;
  readonly firstLink: boolean;
  readonly matchedBy?: string;
  /** The agent each Entra user is (or becomes) in this plan: for the line manager. */
  readonly agentOf: (oid: string) => IdOrRef | undefined;
  readonly event: string;
}

export interface AgentPlanResult {
  readonly changes: (CreateAgentChange | AgentChange)[];
  readonly problems: string[];
  readonly notes: string[];
}

/**
 * An agent's desired state, and the change that gets Halo there: mapped fields, the default team (by the team
 * name an Entra field holds, with the three memberships), teams its groups map to, roles its groups map to (all
 * of them, and only them, under full role management), licence type, line manager, and whether it is active.
 */
export function planAgent(ctx: AgentPlanContext, index: PlanIndex): AgentPlanResult {
  const { input } = index;
  const { connection } = input;
  const { user, record } = ctx;
  const creating = record === undefined;
  const problems: string[] = [];
  const notes: string[] = [];
  const changes: FieldChange[] = [];
  const body: AgentBody = {};

  const fields = fieldWrites(connection.fields.agents, {
    user,
    previous: ctx.previous,
    directory: input.directory,
    previousDirectory: input.previous,
    current: (target) => (record ? agentField(record, target) : undefined),
    creating,
    firstLink: ctx.firstLink,
  });
  Object.assign(body, fields.values);
  if (fields.customfields.length > 0) body.customfields = fields.customfields;
  changes.push(...fields.changes);

  // Teams: the default team named by an Entra field, and the teams the groups map to.
  const current: HaloTeamMembership[] = [...(record?.teams ?? [])];
  const memberships = new Map(current.map((m) => [m.team_id, m]));
  const teamMapping = connection.fields.agents.find((m) => m.halo === 'team');
  if (teamMapping) {
    const wanted = fieldValue(user, teamMapping.entra, input.directory);
    const team = wanted ? index.teamByName.get(wanted.trim().toLowerCase()) : undefined;
    if (!wanted) notes.push(`${teamMapping.entra} is empty: the default team is left as it is`);
    else if (!team) {
      problems.push(`no Halo team is named "${wanted}" (${teamMapping.entra}): the default team is left as it is`);
    } else {
      if ((record?.team ?? '').trim().toLowerCase() !== team.name.toLowerCase()) {
        body.team = team.name;
        changes.push({ field: 'team', from: record?.team, to: team.name, why: `${teamMapping.entra} = "${wanted}"` });
      }
      memberships.set(team.id, { ...memberships.get(team.id), team_id: team.id, ...DEFAULT_TEAM_MEMBERSHIP });
    }
  }
  for (const teamId of mappedTeamIds(user.id, index)) {
    if (!index.teamById.has(teamId)) {
      problems.push(`team #${teamId} of a group mapping does not exist in Halo`);
      continue;
    }
    if (!memberships.has(teamId)) memberships.set(teamId, { team_id: teamId, ...MAPPED_TEAM_MEMBERSHIP });
  }
  if (connection.deactivation.removeFromMappedTeams) {
    const keep = new Set(mappedTeamIds(user.id, index));
    for (const mapping of connection.groups.agentTeams) {
      if (!keep.has(mapping.teamId) && memberships.has(mapping.teamId)) memberships.delete(mapping.teamId);
    }
  }
  const teams = [...memberships.values()];
  if (!sameTeams(current, teams)) {
    body.teams = teams;
    changes.push({
      field: 'teams',
      from: teamList(current, index),
      to: teamList(teams, index),
      why: 'default team memberships and group team mappings',
    });
  }

  // Roles: added from the groups, or exactly the groups' under full role management.
  const mapped = mappedRoleIds(user.id, index);
  const currentRoles = record?.roleIds ?? [];
  const roles = connection.roles.fullRoleManagement ? mapped : union(currentRoles, mapped);
  if (!sameSet(currentRoles, roles) && (roles.length > 0 || record !== undefined)) {
    body.roles = roles.map((id) => ({ id }));
    changes.push({
      field: 'roles',
      from: currentRoles.map((id) => index.roleName(id)).join(', '),
      to: roles.map((id) => index.roleName(id)).join(', '),
      why: connection.roles.fullRoleManagement
        ? 'full role management: exactly the roles its groups map to'
        : 'agent role mappings',
    });
  }

  // Licence type: from the roles (licence management), else from the agent mapping.
  const licence = licenceType(ctx, roles, index);
  if (licence && licence.value !== record?.licence_type) {
    body.licence_type = licence.value;
    changes.push({
      field: 'licence_type',
      from: optional(record?.licence_type),
      to: String(licence.value),
      why: licence.why,
    });
  }

  // Active or not.
  const reason = disabledReason(user, roles, index);
  const wasDisabled = record?.isdisabled ?? false;
  if (reason && !wasDisabled) {
    body.isdisabled = true;
    changes.push({ field: 'isdisabled', from: 'false', to: 'true', why: reason });
  } else if (!reason && wasDisabled && record) {
    const before = ctx.previous
      ? disabledReason(ctx.previous, previousRoles(user.id, currentRoles, index), index)
      : undefined;
    if (before || ctx.event === 'restored') {
      body.isdisabled = false;
      changes.push({
        field: 'isdisabled',
        from: 'true',
        to: 'false',
        why: `no longer: ${before ?? 'deleted in Entra'}`,
      });
    } else {
      notes.push('inactive in Halo while nothing in Entra says so: left inactive (only a change in Entra reactivates)');
    }
  }

  // Line manager: only an agent this import created or matched.
  const linemanager = lineManager(ctx, index, changes, notes);

  const label = userLabel(user);
  if (creating) {
    if (reason) {
      notes.push(`no agent is created: it would be inactive (${reason})`);
      return { changes: [], problems, notes };
    }
    const createBody: AgentBody = { ...body, isdisabled: false, _oid: user.id };
    if (linemanager !== undefined && !isRef(linemanager)) createBody.linemanager = linemanager;
    if (createBody.licence_type === undefined) createBody.licence_type = input.settings.licenceTypes.concurrent;
    const create: CreateAgentChange = {
      kind: 'createAgent',
      resource: '/Agent',
      oid: user.id,
      upn: label,
      body: createBody,
      fields: changes,
      reason: `new agent: ${ctx.placement.agent.label}`,
    };
    const out: (CreateAgentChange | AgentChange)[] = [create];
    if (linemanager !== undefined && isRef(linemanager)) {
      // Both are new: the line manager is set once both exist (a later batch, when their ids are known).
      const self: IdOrRef = { $ref: 'agent', oid: user.id, email: createBody.email ?? '' };
      out.push({
        kind: 'updateAgent',
        resource: '/Agent',
        oid: user.id,
        upn: label,
        agentId: self,
        body: { id: self, linemanager },
        fields: changes.filter((c) => c.field === 'linemanager'),
        reason: 'line manager: its manager is an agent created by this import',
      });
    }
    return { changes: out, problems, notes };
  }
  if (linemanager !== undefined) body.linemanager = linemanager;
  if (changes.length === 0) return { changes: [], problems, notes };
  const kind =
    body.isdisabled === true ? 'deactivateAgent' : body.isdisabled === false ? 'reactivateAgent' : 'updateAgent';
  const firstWhy = changes.find((c) => c.field === 'isdisabled')?.why;
  return {
    changes: [
      {
        kind,
        resource: '/Agent',
        oid: user.id,
        upn: label,
        agentId: record.id,
        body: { ...body, id: record.id },
        fields: changes,
        reason:
          kind === 'updateAgent'
            ? `${ctx.firstLink ? `first link (${ctx.matchedBy}); ` : ''}${unique(changes.map((c) => c.why)).join('; ')}`
            : (firstWhy ?? ''),
      },
    ],
    problems,
    notes,
  };
}

function lineManager(
  ctx: AgentPlanContext,
  index: PlanIndex,
  changes: FieldChange[],
  notes: string[],
): IdOrRef | undefined {
  if (!index.input.connection.fields.agents.some((m) => m.halo === 'linemanager')) return undefined;
  const managerOid = ctx.user.managerId;
  if (!managerOid) {
    notes.push('no manager in Entra: the line manager is left as it is');
    return undefined;
  }
  const manager = ctx.agentOf(managerOid);
  if (manager === undefined) {
    const who = index.input.directory.users[managerOid];
    notes.push(
      `its manager ${who ? userLabel(who) : managerOid} is not an agent this import created or matched: the line manager is left as it is`,
    );
    return undefined;
  }
  if (!isRef(manager) && manager === ctx.record?.linemanager) return undefined;
  const who = index.input.directory.users[managerOid];
  changes.push({
    field: 'linemanager',
    from: optional(ctx.record?.linemanager),
    to: isRef(manager) ? `new agent ${who ? userLabel(who) : managerOid}` : `agent #${manager}`,
    why: `Entra manager ${who ? userLabel(who) : managerOid}`,
  });
  return manager;
}

function licenceType(
  ctx: AgentPlanContext,
  roles: readonly string[],
  index: PlanIndex,
): { value: number; why: string } | undefined {
  const { connection, settings } = index.input;
  if (connection.licences.manage) {
    const named = roles.find((id) => connection.licences.namedRoleIds.includes(id));
    return named
      ? {
          value: settings.licenceTypes.named,
          why: `licence management: role "${index.roleName(named)}" gives a named licence`,
        }
      : { value: settings.licenceTypes.concurrent, why: 'licence management: no role gives a named licence' };
  }
  const type = ctx.placement.agent.licenceType;
  if (type === 'named')
    return { value: settings.licenceTypes.named, why: `${ctx.placement.agent.label}: named licence` };
  if (type === 'concurrent') {
    return { value: settings.licenceTypes.concurrent, why: `${ctx.placement.agent.label}: concurrent licence` };
  }
  return undefined;
}

function agentField(record: HaloAgentRecord, target: string | { customFieldId: number }): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (target === 'name') return record.name;
  if (target === 'email') return record.email;
  return record.fields[target];
}

/** The roles the agent would have had before this round (for "what made it inactive then"). */
function previousRoles(oid: string, currentRoles: readonly string[], index: PlanIndex): string[] {
  const mapped = mappedRoleIds(oid, index, previousGroups(index));
  return index.input.connection.roles.fullRoleManagement ? mapped : union(currentRoles, mapped);
}

/** The groups each user was in before this round. */
function previousGroups(index: PlanIndex): (oid: string) => ReadonlySet<string> {
  const previous = index.input.previous;
  if (!previous) return index.groupsOf;
  const names = new Map<string, Set<string>>();
  for (const group of Object.values(previous.groups)) {
    for (const member of group.members) {
      const set = names.get(member) ?? new Set<string>();
      set.add(group.displayName);
      names.set(member, set);
    }
  }
  return (oid) => names.get(oid) ?? new Set();
}

function sameTeams(a: readonly HaloTeamMembership[], b: readonly HaloTeamMembership[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(a.map((m) => [m.team_id, m]));
  return b.every((m) => {
    const other = byId.get(m.team_id);
    if (!other) return false;
    return (['in_section', 'unassigned_access', 'otheragent_access', 'fortickets'] as const).every(
      (flag) => m[flag] === undefined || Boolean(other[flag]) === m[flag],
    );
  });
}

function teamList(teams: readonly HaloTeamMembership[], index: PlanIndex): string {
  return teams.map((t) => index.teamById.get(t.team_id)?.name ?? `#${t.team_id}`).join(', ');
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...a, ...b.filter((x) => !a.includes(x))];
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function optional(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}
