import type {
  AgentChange,
  CabMemberChange,
  CreateSiteChange,
  EntraChange,
  IdOrRef,
  InboundLogEntry,
  ReassignTicketChange,
  UserChange,
} from '../changes';
import type { DirUser } from '../directory';
import { fieldValue, isEnabled, userLabel } from '../fieldValues';
import type { HaloAgentRecord } from '../haloSnapshot';
import { disabledReason, mappedRoleIds, planAgent } from './agents';
import { buildIndex, type PlanIndex, type PlanInput, type UserEvent } from './context';
import { type Claims, type MatchResult, matchAgent, matchUser } from './match';
import { type Placement, place } from './placement';
import { deactivationGuard, planUser } from './users';

export type { PlanInput, UserEvent } from './context';

export interface PlanResult {
  readonly changes: EntraChange[];
  readonly log: InboundLogEntry[];
  readonly problems: string[];
  /** Agents the plan deactivates whose open tickets were not read yet (reassignment is on): read them, plan again. */
  readonly needsOpenTickets: number[];
  /** Hard-deleted users: their agent link is dropped when the plan is applied. */
  readonly forgetAgentLinks: string[];
  /** Agents found by matching (not by our link): linked when the plan is applied. */
  readonly matchedAgents: { oid: string; agentId: number; email: string }[];
}

interface Work {
  readonly id: string;
  readonly event: UserEvent;
  readonly user: DirUser;
  readonly gone: boolean;
  placement?: Placement;
  agent?: MatchResult<HaloAgentRecord>;
  userMatch?: ReturnType<typeof matchUser>;
  /** The agent this user becomes when none is found (and it would be active). */
  newAgent?: IdOrRef;
}

const GONE_EVENTS: ReadonlySet<UserEvent> = new Set(['softDeleted', 'deleted', 'notFound']);

/**
 * Plans one connection: for every user the round brought (or affected through a group or its manager), where
 * the site mappings put it, which Halo agent and user it is, and the changes that make Halo match Entra; then
 * CAB memberships and the reassignment of a deactivated agent's open tickets. Pure.
 */
export function planConnection(input: PlanInput): PlanResult {
  const index = buildIndex(input);
  const { connection } = input;
  const agentClaims: Claims = new Map();
  const userClaims: Claims = new Map();
  const works: Work[] = [];
  for (const entry of input.users) {
    const gone = GONE_EVENTS.has(entry.event);
    const user = gone ? entry.gone : input.directory.users[entry.id];
    if (!user) continue;
    const work: Work = { id: entry.id, event: entry.event, user, gone };
    works.push(work);
    if (gone) {
      work.agent = matchAgent(user, index, agentClaims);
      work.userMatch = matchUser(user, index, userClaims);
      claim(work.agent, agentClaims, user.id);
      claim(work.userMatch, userClaims, user.id);
      continue;
    }
    work.placement = place(user, index);
    if (connection.syncs.agents && work.placement.agent) {
      work.agent = matchAgent(user, index, agentClaims);
      claim(work.agent, agentClaims, user.id);
      if (work.agent.kind === 'none' && !disabledReason(user, mappedRoleIds(user.id, index), index)) {
        work.newAgent = { $ref: 'agent', oid: user.id, email: agentEmail(user, index) };
      }
    }
    if (connection.syncs.users && work.placement.site) {
      work.userMatch = matchUser(user, index, userClaims);
      claim(work.userMatch, userClaims, user.id);
    }
  }
  const byOid = new Map(works.map((w) => [w.id.toLowerCase(), w]));
  const agentOf = (oid: string): IdOrRef | undefined => {
    const work = byOid.get(oid.toLowerCase());
    if (work?.agent?.kind === 'found' && !work.gone) return work.agent.record.id;
    if (work?.newAgent) return work.newAgent;
    if (work?.agent?.kind === 'tie') return undefined;
    const linked = input.halo.agentLinks[oid.toLowerCase()] ?? input.halo.agentLinks[oid];
    return linked !== undefined && index.agentById.has(linked) ? linked : undefined;
  };

  const changes: EntraChange[] = [];
  const log: InboundLogEntry[] = [];
  const problems: string[] = [];
  const sites = new Map<string, CreateSiteChange>();
  const forgetAgentLinks: string[] = [];
  for (const work of works) {
    const first = changes.length;
    const entry = work.gone
      ? planGone(work, index, changes, forgetAgentLinks)
      : planPresent(work, index, changes, sites, agentOf);
    for (const problem of entry.problems ?? []) problems.push(`${userLabel(work.user)}: ${problem}`);
    log.push({ ...entry, changes: changes.slice(first).map(describeChange) });
  }
  changes.unshift(...sites.values());
  changes.push(...planCabs(works, index, agentOf, log));
  const tickets = planTickets(changes, index);
  changes.push(...tickets.changes);
  for (const change of tickets.changes) addToLog(log, change);
  problems.push(...tickets.problems);
  const matchedAgents = works.flatMap((w) =>
    !w.gone && w.agent?.kind === 'found' && w.agent.firstLink
      ? [{ oid: w.id.toLowerCase(), agentId: w.agent.record.id, email: w.agent.record.email }]
      : [],
  );
  return { changes, log, problems, needsOpenTickets: tickets.needsOpenTickets, forgetAgentLinks, matchedAgents };
}

function claim(result: MatchResult<{ id: number }> | undefined, claims: Claims, oid: string): void {
  if (result?.kind === 'found') claims.set(result.record.id, oid.toLowerCase());
}

function agentEmail(user: DirUser, index: PlanIndex): string {
  const mapping = index.input.connection.fields.agents.find((m) => m.halo === 'email');
  return (
    (mapping ? fieldValue(user, mapping.entra, index.input.directory) : undefined) ?? String(user.props.mail ?? '')
  );
}

type LogDraft = Omit<InboundLogEntry, 'changes'>;

function planPresent(
  work: Work,
  index: PlanIndex,
  changes: EntraChange[],
  sites: Map<string, CreateSiteChange>,
  agentOf: (oid: string) => IdOrRef | undefined,
): LogDraft {
  const { input } = index;
  const user = work.user;
  const placement = work.placement!;
  const previous = input.previous?.users[user.id];
  const problems: string[] = [];
  const notes: string[] = [...placement.notes];
  const mappings = [...placement.matched, ...groupMappingsOf(user, index)];
  let agentText: string | undefined;
  let userText: string | undefined;
  const planned: string[] = [];

  if (placement.agent && work.agent) {
    agentText = describeMatch(work.agent, 'agent');
    if (work.agent.kind === 'tie') {
      problems.push(
        `agent not matched: ${work.agent.by} matches agents ${work.agent.ids.map((id) => `#${id}`).join(', ')} (a tie is never a match; make one of them unique)`,
      );
    } else {
      const record = work.agent.kind === 'found' ? work.agent.record : undefined;
      const result = planAgent(
        {
          user,
          previous,
          placement: placement as Placement & { agent: NonNullable<Placement['agent']> },
          record,
          firstLink: work.agent.kind === 'found' && work.agent.firstLink,
          ...(work.agent.kind === 'found' ? { matchedBy: work.agent.by } : {}),
          agentOf,
          event: work.event,
        },
        index,
      );
      changes.push(...result.changes);
      planned.push(...result.changes.map((c) => c.reason));
      problems.push(...result.problems);
      notes.push(...result.notes);
    }
  } else if (input.connection.syncs.agents && !placement.agent) {
    const linked = agentOf(user.id);
    const record = typeof linked === 'number' ? index.agentById.get(linked) : undefined;
    if (record) {
      const removal = outOfMappedTeams(user, record, index);
      if (removal) {
        changes.push(removal);
        planned.push(removal.reason);
      } else notes.push(`agent #${record.id} is no longer covered by an agent mapping: left as it is`);
    }
  }

  if (placement.site && work.userMatch) {
    userText = describeMatch(work.userMatch, 'user');
    if (work.userMatch.kind === 'tie') {
      problems.push(
        `user not matched: ${work.userMatch.by} matches users ${work.userMatch.ids.map((id) => `#${id}`).join(', ')} (a tie is never a match; make one of them unique)`,
      );
    } else {
      const record = work.userMatch.kind === 'found' ? work.userMatch.record : undefined;
      let site = placement.site;
      if (site.create) {
        const key = `${site.create.clientId}:${site.create.name.toLowerCase()}`;
        const planned = sites.get(key);
        if (planned) {
          // One new site per value, whatever its case: the first user's spelling names it.
          site = {
            ...site,
            create: planned.site,
            siteId: { $ref: 'site', clientId: planned.site.clientId, name: planned.site.name },
          };
        } else {
          sites.set(key, {
            kind: 'createSite',
            resource: '/Site',
            site: site.create,
            body: { name: site.create.name, client_id: site.create.clientId },
            reason: `new site for ${site.label}: "${site.create.name}" under client #${site.create.clientId}`,
          });
        }
      }
      const result = planUser(
        {
          user,
          previous,
          placement: { ...placement, site },
          record,
          firstLink: work.userMatch.kind === 'found' && work.userMatch.firstLink,
          ...(work.userMatch.kind === 'found' ? { matchedBy: work.userMatch.by } : {}),
          event: work.event,
        },
        index,
      );
      if (result.change) {
        changes.push(result.change);
        planned.push(result.change.reason);
      }
      problems.push(...result.problems);
      notes.push(...result.notes);
    }
  }
  if (!placement.agent && !placement.site) notes.push('no site mapping covers this user: not imported');
  return {
    oid: user.id,
    upn: userLabel(user),
    displayName: String(user.props.displayName ?? ''),
    event: work.event,
    mappings,
    ...(agentText ? { agent: agentText } : {}),
    ...(userText ? { user: userText } : {}),
    outcome:
      planned.length > 0
        ? `${planned.join(' | ')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`
        : `no change${notes.length > 0 ? `: ${notes.join('; ')}` : ': Halo already matches Entra'}`,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

function planGone(work: Work, index: PlanIndex, changes: EntraChange[], forget: string[]): LogDraft {
  const { connection } = index.input;
  const user = work.user;
  const how =
    work.event === 'softDeleted'
      ? 'deleted in Entra (in its deleted users, restorable)'
      : work.event === 'deleted'
        ? 'deleted in Entra for good'
        : 'not found by a full read of the directory';
  if (work.event === 'deleted') forget.push(user.id.toLowerCase());
  const planned: string[] = [];
  const notes: string[] = [];
  const agent = work.agent?.kind === 'found' ? work.agent.record : undefined;
  if (agent && !agent.isdisabled) {
    if (connection.deactivation.agents) {
      const change: AgentChange = {
        kind: 'deactivateAgent',
        resource: '/Agent',
        oid: user.id,
        upn: userLabel(user),
        agentId: agent.id,
        body: { id: agent.id, isdisabled: true },
        fields: [{ field: 'isdisabled', from: 'false', to: 'true', why: how }],
        reason: how,
      };
      changes.push(change);
      planned.push(`agent #${agent.id} made inactive: ${how}`);
    } else notes.push(`agent #${agent.id} left active (deactivation.agents is off)`);
  }
  const record = work.userMatch?.kind === 'found' ? work.userMatch.record : undefined;
  if (record && !record.inactive) {
    const guard = deactivationGuard(record, index);
    if (!connection.deactivation.users) notes.push(`user #${record.id} left active (deactivation.users is off)`);
    else if (guard) notes.push(`user #${record.id}: ${guard}`);
    else {
      const change: UserChange = {
        kind: 'deactivateUser',
        resource: '/Users',
        oid: user.id,
        upn: userLabel(user),
        userId: record.id,
        body: { id: record.id, inactive: true },
        fields: [{ field: 'inactive', from: 'false', to: 'true', why: how }],
        reason: how,
      };
      changes.push(change);
      planned.push(`user #${record.id} made inactive: ${how}`);
    }
  }
  return {
    oid: user.id,
    upn: userLabel(user),
    displayName: String(user.props.displayName ?? ''),
    event: work.event,
    mappings: [],
    ...(work.agent ? { agent: describeMatch(work.agent, 'agent') } : {}),
    ...(work.userMatch ? { user: describeMatch(work.userMatch, 'user') } : {}),
    outcome:
      planned.length > 0
        ? planned.join(' | ')
        : `no change: ${how}${notes.length ? `; ${notes.join('; ')}` : '; no active Halo record of it'}`,
  };
}

/** With removeFromMappedTeams: an agent the agent mappings no longer cover leaves the teams the groups map to. */
function outOfMappedTeams(user: DirUser, record: HaloAgentRecord, index: PlanIndex): AgentChange | undefined {
  const { connection } = index.input;
  if (!connection.deactivation.removeFromMappedTeams || !record.teams) return undefined;
  const mapped = new Set(connection.groups.agentTeams.map((m) => m.teamId));
  const kept = record.teams.filter((t) => !mapped.has(t.team_id));
  if (kept.length === record.teams.length) return undefined;
  const names = (teams: readonly { team_id: number }[]) =>
    teams.map((t) => index.teamById.get(t.team_id)?.name ?? `#${t.team_id}`).join(', ');
  const why = 'no longer covered by an agent mapping: taken out of the teams the groups map to';
  return {
    kind: 'updateAgent',
    resource: '/Agent',
    oid: user.id,
    upn: userLabel(user),
    agentId: record.id,
    body: { id: record.id, teams: kept.map((t) => ({ ...t })) },
    fields: [{ field: 'teams', from: names(record.teams), to: names(kept), why }],
    reason: why,
  };
}

function planCabs(
  works: readonly Work[],
  index: PlanIndex,
  agentOf: (oid: string) => IdOrRef | undefined,
  log: InboundLogEntry[],
): CabMemberChange[] {
  const { connection, halo } = index.input;
  if (connection.groups.cabs.length === 0) return [];
  const out: CabMemberChange[] = [];
  for (const work of works) {
    if (work.gone || !isEnabled(work.user)) continue;
    const groups = index.groupsOf(work.user.id);
    for (const mapping of connection.groups.cabs) {
      if (!groups.has(mapping.group.trim())) continue;
      const cab = halo.cabs.find((c) => c.id === mapping.cabId);
      if (!cab) continue;
      const agent = work.placement?.agent ? agentOf(work.user.id) : undefined;
      const userId = userOf(work);
      const member = agent !== undefined ? { agent_id: agent } : userId !== undefined ? { user_id: userId } : undefined;
      if (!member) continue;
      const already = cab.members.some((m) =>
        'agent_id' in member ? m.agent_id === member.agent_id : m.user_id === member.user_id,
      );
      if (already) continue;
      const change: CabMemberChange = {
        kind: 'addCabMember',
        resource: '/CAB',
        oid: work.user.id,
        upn: userLabel(work.user),
        cabId: cab.id,
        cabName: cab.name,
        member: { ...member, ...(mapping.cabRoleId !== undefined ? { role_id: mapping.cabRoleId } : {}) },
        reason: `CAB mapping: group "${mapping.group}" → CAB "${cab.name}"${mapping.cabRoleId !== undefined ? ` (CAB role #${mapping.cabRoleId})` : ''}`,
      };
      out.push(change);
      addToLog(log, change);
    }
  }
  return out;
}

function userOf(work: Work): IdOrRef | undefined {
  if (work.userMatch?.kind === 'found') return work.userMatch.record.id;
  if (work.userMatch?.kind === 'none' && work.placement?.site && isEnabled(work.user)) {
    return { $ref: 'user', oid: work.user.id, email: String(work.user.props.mail ?? '') };
  }
  return undefined;
}

function planTickets(
  changes: readonly EntraChange[],
  index: PlanIndex,
): { changes: ReassignTicketChange[]; problems: string[]; needsOpenTickets: number[] } {
  const { connection, halo, settings } = index.input;
  const out = { changes: [] as ReassignTicketChange[], problems: [] as string[], needsOpenTickets: [] as number[] };
  if (!connection.deactivation.reassignOpenTickets) return out;
  const deactivated = changes.filter(
    (c): c is AgentChange => c.kind === 'deactivateAgent' && typeof c.agentId === 'number',
  );
  if (deactivated.length === 0) return out;
  const unassigned =
    halo.agents.find((a) => a.isUnassigned) ??
    halo.agents.find((a) => a.name.trim().toLowerCase() === settings.unassignedAgentName.trim().toLowerCase());
  for (const change of deactivated) {
    const agentId = change.agentId as number;
    const tickets = halo.openTickets?.[String(agentId)];
    if (tickets === undefined) {
      out.needsOpenTickets.push(agentId);
      continue;
    }
    if (tickets.length === 0) continue;
    if (!unassigned) {
      out.problems.push(
        `agent #${agentId} is made inactive but Halo's "${settings.unassignedAgentName}" agent was not found: its ${tickets.length} open ticket(s) stay assigned`,
      );
      continue;
    }
    for (const ticketId of tickets) {
      out.changes.push({
        kind: 'reassignTicket',
        resource: '/Tickets',
        oid: change.oid,
        upn: change.upn,
        ticketId,
        fromAgentId: agentId,
        body: { id: ticketId, agent_id: unassigned.id },
        reason: `its agent #${agentId} is made inactive (${change.reason}): reassigned to ${unassigned.name}`,
      });
    }
  }
  return out;
}

function groupMappingsOf(user: DirUser, index: PlanIndex): string[] {
  const groups = index.groupsOf(user.id);
  const { connection } = index.input;
  const out: string[] = [];
  for (const m of connection.groups.agentRoles) {
    if (groups.has(m.group.trim())) out.push(`group "${m.group}" → agent role "${index.roleName(m.roleId)}"`);
  }
  for (const m of connection.groups.userRoles) {
    if (groups.has(m.group.trim())) out.push(`group "${m.group}" → user role "${index.userRoleName(m.roleId)}"`);
  }
  for (const m of connection.groups.agentTeams) {
    if (groups.has(m.group.trim()))
      out.push(`group "${m.group}" → team "${index.teamById.get(m.teamId)?.name ?? `#${m.teamId}`}"`);
  }
  for (const m of connection.groups.cabs) {
    if (groups.has(m.group.trim())) out.push(`group "${m.group}" → CAB #${m.cabId}`);
  }
  return out;
}

function describeMatch(result: MatchResult<{ id: number }>, what: string): string {
  if (result.kind === 'found') return `${what} #${result.record.id} (by ${result.by})`;
  if (result.kind === 'tie') return `tie: ${result.by} matches ${result.ids.map((id) => `#${id}`).join(', ')}`;
  return `no existing ${what}`;
}

export function describeChange(change: EntraChange): string {
  switch (change.kind) {
    case 'createSite':
      return `createSite "${change.site.name}"`;
    case 'addCabMember':
      return `addCabMember CAB "${change.cabName}"`;
    case 'reassignTicket':
      return `reassignTicket #${change.ticketId}`;
    default:
      return `${change.kind}${change.fields.length > 0 ? `: ${change.fields.map((f) => f.field).join(', ')}` : ''}`;
  }
}

/** A change planned after its user's record was written (CAB member, ticket) joins that record. */
function addToLog(log: InboundLogEntry[], change: CabMemberChange | ReassignTicketChange): void {
  const at = log.findIndex((e) => e.oid === change.oid);
  if (at < 0) return;
  const old = log[at]!;
  log[at] = {
    ...old,
    changes: [...old.changes, describeChange(change)],
    outcome: appendOutcome(old.outcome, change.reason),
  };
}

function appendOutcome(outcome: string, reason: string): string {
  return outcome.startsWith('no change') ? reason : `${outcome} | ${reason}`;
}
