import type { EntraConnection } from '../../config/integration/entra';
import type { RunContext, SyncDeps } from '../engine/definition';
import type { SourceState } from '../engine/tenantState';
import { readAgentLinks } from './agentLinks';
import type { EntraPlan, InboundLogEntry, ReadSummary } from './changes';
import { connectionOf, graphForConnection } from './connectionGraph';
import {
  applyGroupsRound,
  applyUsersRound,
  type Directory,
  type DirUser,
  directReportsOf,
  EMPTY_DIRECTORY,
} from './directory';
import type { HaloEntraSnapshot } from './haloSnapshot';
import { planLicencePart } from './licences';
import { type PlanInput, planConnection, type UserEvent } from './plan';
import { GROUPS_DELTA, groupsSelect, readRound, readUntracked, USERS_DELTA } from './readDirectory';
import { readHalo, readOpenTickets } from './readHalo';
import { selectionKey, userSelection } from './selectFields';
import { type ConnectionState, pendingDirectoryPath, readDirectory, readState, writeDirectory } from './state';

/**
 * The reader and the planner for one connection: the users and groups delta rounds from the stored links (or in
 * full: first run, reset, a new `$select`, the periodic full read, or a link Graph refused), applied to the stored
 * directory copy; the users they affect; Halo read in bulk only when there is something to plan; then the pure
 * planner. In apply mode the new directory copy is stored with the run, for afterApply to commit.
 */
export async function planEntraSource(deps: SyncDeps, run: RunContext, source: SourceState): Promise<EntraPlan> {
  const config = deps.config.entraSync;
  const connection = connectionOf(config.connections, source.tenantId);
  if (!connection) throw new Error(`no Entra connection for tenant ${source.tenantId} in entraSync.connections`);
  const graph = await graphForConnection(deps, connection);
  const selection = userSelection(connection);
  const selKey = selectionKey(selection);
  const { state, etag } = await readState(deps, connection.tenantId);
  const previous = await readDirectory(deps, state.directoryPath);
  const now = deps.now();
  const why = fullReadReasons(state, previous, selKey, config.fullReadEveryHours, now);
  const full = why.length > 0;

  const usersRound = await readRound(graph, USERS_DELTA, full ? undefined : state.usersDeltaLink, selection.select);
  const groupsRound = await readRound(graph, GROUPS_DELTA, full ? undefined : state.groupsDeltaLink, groupsSelect());
  if (usersRound.resyncReason) why.push(`users delta: ${usersRound.resyncReason}; read in full instead`);
  if (groupsRound.resyncReason) why.push(`groups delta: ${groupsRound.resyncReason}; read in full instead`);

  const base = previous ?? EMPTY_DIRECTORY;
  const users = applyUsersRound(base, usersRound, { now, managerSelected: selection.select.includes('manager') });
  const groups = applyGroupsRound(base, groupsRound);
  let directory: Directory = { users: users.users, groups: groups.groups };
  const untrackedIds = usersRound.full ? 'all' : users.changed;
  if (selection.untracked.length > 0 && (untrackedIds === 'all' || untrackedIds.length > 0)) {
    directory = withExtra(directory, await readUntracked(graph, selection.untracked, untrackedIds));
  }

  const events = affectedUsers({ directory, base, users, groups, allUsers: usersRound.full || groupsRound.full });
  const planInput = (halo: PlanInput['halo']): PlanInput => ({
    connection,
    settings: { licenceTypes: config.halo.licenceTypes, unassignedAgentName: config.halo.unassignedAgentName },
    directory,
    previous,
    users: events,
    halo,
  });
  let result: ReturnType<typeof planConnection> | undefined;
  let usersFrom: string | undefined;
  let halo: HaloEntraSnapshot | undefined;
  const problems: string[] = [];
  if (events.length > 0) {
    const links = await readAgentLinks(deps, connection.tenantId);
    halo = await readHalo(deps.halo, config, connection, links, run.log);
    usersFrom = halo.usersFrom;
    problems.push(...halo.skippedRows.map((row) => `Halo row skipped: ${row}`));
    result = planConnection(planInput(halo));
    if (result.needsOpenTickets.length > 0) {
      halo = { ...halo, openTickets: await readOpenTickets(deps.halo, result.needsOpenTickets) };
      result = planConnection(planInput(halo));
    }
    problems.push(...result.problems);
  }
  const licences = connection.syncs.licences
    ? await planLicencePart(deps, run, { config, connection, graph, directory, previous, halo })
    : undefined;
  if (licences) {
    problems.push(...licences.problems);
    directory = { ...directory, licences: licences.state };
  }

  const changedDirectory =
    full ||
    usersRound.full ||
    groupsRound.full ||
    usersRound.items.length > 0 ||
    usersRound.removed.length > 0 ||
    groupsRound.items.length > 0 ||
    groupsRound.removed.length > 0 ||
    !previous ||
    (licences !== undefined && JSON.stringify(licences.state) !== JSON.stringify(previous.licences));
  let directoryPath = state.directoryPath ?? '';
  if (changedDirectory && run.mode === 'apply') {
    directoryPath = pendingDirectoryPath(run.runId, connection.tenantId);
    await writeDirectory(deps, directoryPath, directory);
  }
  const read: ReadSummary = {
    users: usersRound.full ? 'full' : 'delta',
    groups: groupsRound.full ? 'full' : 'delta',
    why,
    usersInRound: usersRound.items.length,
    groupsInRound: groupsRound.items.length,
    removedInRound: usersRound.removed.length,
    affectedUsers: events.length,
    untracked: selection.untracked,
    halo: events.length > 0 ? 'read' : 'notNeeded',
    ...(usersFrom ? { usersFrom } : {}),
  };
  return {
    tenantId: connection.tenantId,
    connectionName: connection.name,
    read,
    changes: [...(result?.changes ?? []), ...(licences?.changes ?? [])],
    log: withLicenceLog(result?.log ?? [], licences?.log ?? []),
    problems,
    commit: {
      usersDeltaLink: usersRound.deltaLink,
      groupsDeltaLink: groupsRound.deltaLink,
      directoryPath,
      selectionKey: selKey,
      fullReadAt: usersRound.full ? now.toISOString() : (state.fullReadAt ?? now.toISOString()),
      baseEtag: etag,
      forgetAgentLinks: result?.forgetAgentLinks ?? [],
      linkAgents: result?.matchedAgents ?? [],
    },
  };
}

function fullReadReasons(
  state: ConnectionState,
  previous: Directory | undefined,
  selKey: string,
  everyHours: number,
  now: Date,
): string[] {
  if (!previous) return ['first read of this connection (no directory copy yet)'];
  if (!state.usersDeltaLink || !state.groupsDeltaLink) {
    return [
      state.reset?.how === 'clear' ? `the delta was cleared (reset at ${state.reset.at})` : 'no delta link stored',
    ];
  }
  if (state.selectionKey !== selKey) return ['the mappings use other Entra fields: a new $select needs a full read'];
  const last = state.fullReadAt ? Date.parse(state.fullReadAt) : 0;
  if (now.getTime() - last >= everyHours * 3_600_000) return [`periodic full read (every ${everyHours} h)`];
  return [];
}

/** The users to plan: everyone after a full read; else those the round changed, removed, or affected. */
function affectedUsers(input: {
  directory: Directory;
  base: Directory;
  users: ReturnType<typeof applyUsersRound>;
  groups: ReturnType<typeof applyGroupsRound>;
  allUsers: boolean;
}): PlanInput['users'] {
  const events = new Map<string, { id: string; event: UserEvent; gone?: DirUser }>();
  const set = (id: string, event: UserEvent, gone?: DirUser) => {
    if (!events.has(id)) events.set(id, { id, event, ...(gone ? { gone } : {}) });
  };
  for (const gone of input.users.gone) {
    set(gone.id, gone.how === 'changed' ? 'softDeleted' : gone.how === 'deleted' ? 'deleted' : 'notFound', gone.user);
  }
  for (const id of input.users.restored) set(id, 'restored');
  for (const id of input.users.changed) set(id, 'changed');
  const present = (id: string) => input.directory.users[id] !== undefined && !input.directory.users[id]!.goneSince;
  if (input.allUsers) {
    for (const user of Object.values(input.directory.users)) if (!user.goneSince) set(user.id, 'affected');
  }
  for (const id of input.groups.affectedUsers) if (present(id)) set(id, 'affected');
  const managers = new Set([...input.users.changed, ...input.users.restored, ...input.users.gone.map((g) => g.id)]);
  for (const id of directReportsOf(input.directory, managers)) if (present(id)) set(id, 'affected');
  return [...events.values()];
}

/** One inbound-log record per user: a user's licence changes join the record its other changes made. */
function withLicenceLog(log: readonly InboundLogEntry[], licenceLog: readonly InboundLogEntry[]): InboundLogEntry[] {
  const out = [...log];
  const at = new Map(out.map((entry, i) => [entry.oid.toLowerCase(), i]));
  for (const entry of licenceLog) {
    const i = at.get(entry.oid.toLowerCase());
    if (i === undefined) {
      out.push(entry);
      continue;
    }
    const main = out[i]!;
    out[i] = {
      ...main,
      mappings: [...main.mappings, ...entry.mappings],
      changes: [...main.changes, ...entry.changes],
      outcome: `${main.outcome}; ${entry.outcome}`,
    };
  }
  return out;
}

function withExtra(directory: Directory, extra: Map<string, Record<string, unknown>>): Directory {
  if (extra.size === 0) return directory;
  const users = { ...directory.users };
  for (const [id, values] of extra) {
    const user = users[id];
    if (user) users[id] = { ...user, extra: { ...(user.extra ?? {}), ...values } };
  }
  return { ...directory, users };
}

export type { EntraConnection };
