import type { LicenceSyncState } from './licences/types';

/**
 * The sync's copy of an Entra directory: users with the properties the delta query selects (and their manager,
 * a relationship Graph only sends when it changes), and groups with their direct members. Kept between runs (the
 * state blob), so that a delta round (only what changed) can be planned as a whole: a user's groups, its manager,
 * the previous value of a property. Plain JSON, so that it is stored as it is.
 */
export interface DirUser {
  readonly id: string;
  /** The selected properties as Graph last sent them. */
  readonly props: Readonly<Record<string, unknown>>;
  /** The manager's object id; absent when the user has none. */
  readonly managerId?: string;
  /** Soft-deleted (restorable from Entra's deleted items) or not found by a full read, since then. */
  readonly goneSince?: string;
  /** Properties delta cannot track (signInActivity, …), read by a plain GET; kept across rounds. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface DirGroup {
  readonly id: string;
  readonly displayName: string;
  readonly members: readonly string[];
}

export interface Directory {
  readonly users: Readonly<Record<string, DirUser>>;
  readonly groups: Readonly<Record<string, DirGroup>>;
  /** The licences both sides agreed on at the last sync (licences/); absent when licences are off. */
  readonly licences?: LicenceSyncState;
}

export const EMPTY_DIRECTORY: Directory = { users: {}, groups: {} };

/** A deleted user is kept this long (Entra keeps soft-deleted users 30 days), so that a return is recognised. */
const GONE_KEPT_DAYS = 30;

/** One delta round as read from Graph: items (current objects), `@removed` stubs, and whether it was a full read. */
export interface DeltaRoundInput {
  readonly items: readonly Record<string, unknown>[];
  readonly removed: readonly { id: string; reason: string }[];
  /** The round listed everything (first read, reset, expired token): absent users are gone. */
  readonly full: boolean;
}

export interface UsersRoundResult {
  readonly users: Record<string, DirUser>;
  /** Users the round brought back (created, changed, restored). */
  readonly changed: string[];
  /** Users that came back after being deleted (restored from the deleted items). */
  readonly restored: string[];
  /** Users gone this round: `changed` (soft-deleted), `deleted` (hard), `notFound` (absent from a full read). */
  readonly gone: { id: string; how: 'changed' | 'deleted' | 'notFound'; user: DirUser }[];
  /** Users whose manager changed. */
  readonly managerChanged: string[];
}

/**
 * Applies a users round to the copy. An item replaces the user's selected properties; its `manager@delta` (ids
 * only) sets the manager, an entry marked `@removed` or an empty array clears it, and its absence keeps the one
 * known (Graph leaves the manager out when other properties changed: entra-intune.md §A1.2).
 */
export function applyUsersRound(
  previous: Directory,
  round: DeltaRoundInput,
  options: { now: Date; managerSelected: boolean },
): UsersRoundResult {
  const now = options.now.toISOString();
  const users: Record<string, DirUser> = round.full ? {} : { ...previous.users };
  const changed: string[] = [];
  const restored: string[] = [];
  const managerChanged: string[] = [];
  const gone: UsersRoundResult['gone'] = [];
  const seen = new Set<string>();
  for (const item of round.items) {
    const id = String(item.id ?? '');
    if (id === '') continue;
    const before = previous.users[id];
    const { ['manager@delta']: managerDelta, ...props } = item;
    let managerId = round.full && options.managerSelected ? undefined : before?.managerId;
    if (Array.isArray(managerDelta)) managerId = managerFrom(managerDelta as Record<string, unknown>[]);
    const merged = seen.has(id) ? users[id] : undefined;
    const user: DirUser = dropUndefined({
      id,
      props: { ...(merged?.props ?? {}), ...props },
      managerId: Array.isArray(managerDelta) ? managerId : (merged?.managerId ?? managerId),
      extra: before?.extra,
    });
    users[id] = user;
    seen.add(id);
    if (!changed.includes(id)) changed.push(id);
    if (before?.goneSince) restored.push(id);
    if ((before?.managerId ?? undefined) !== user.managerId && (before || user.managerId)) managerChanged.push(id);
  }
  for (const stub of round.removed) {
    const before = users[stub.id] ?? previous.users[stub.id];
    if (!before) continue;
    if (stub.reason === 'changed') {
      users[stub.id] = { ...before, goneSince: before.goneSince ?? now };
      gone.push({ id: stub.id, how: 'changed', user: before });
    } else {
      delete users[stub.id];
      gone.push({ id: stub.id, how: 'deleted', user: before });
    }
  }
  if (round.full) {
    for (const [id, before] of Object.entries(previous.users)) {
      if (seen.has(id)) continue;
      if (!before.goneSince) gone.push({ id, how: 'notFound', user: before });
      const since = before.goneSince ?? now;
      if (ageDays(since, options.now) < GONE_KEPT_DAYS) users[id] = { ...before, goneSince: since };
    }
  }
  return { users, changed, restored, gone, managerChanged };
}

/** The manager named by `manager@delta`: the entry not marked removed (none, or an empty array: no manager). */
function managerFrom(entries: readonly Record<string, unknown>[]): string | undefined {
  const current = entries.find((e) => !e['@removed'] && typeof e.id === 'string');
  return current ? String(current.id) : undefined;
}

export interface GroupsRoundResult {
  readonly groups: Record<string, DirGroup>;
  /** Users whose membership changed, and members of groups renamed, created or deleted. */
  readonly affectedUsers: string[];
  readonly changedGroups: string[];
}

/**
 * Applies a groups round. A large group arrives as several copies of the group object, each with part of its
 * `members@delta`: they are merged by id. On a full read the members are the complete list; on a delta round an
 * entry is an added member, or a removed one when marked `@removed`.
 */
export function applyGroupsRound(previous: Directory, round: DeltaRoundInput): GroupsRoundResult {
  const groups: Record<string, DirGroup> = round.full ? {} : { ...previous.groups };
  const affected = new Set<string>();
  const changedGroups = new Set<string>();
  const touched = new Map<string, { displayName?: string; add: Set<string>; remove: Set<string> }>();
  for (const item of round.items) {
    const id = String(item.id ?? '');
    if (id === '') continue;
    const entry = touched.get(id) ?? { add: new Set<string>(), remove: new Set<string>() };
    if (typeof item.displayName === 'string') entry.displayName = item.displayName;
    const refs = Array.isArray(item['members@delta']) ? (item['members@delta'] as Record<string, unknown>[]) : [];
    for (const ref of refs) {
      if (typeof ref.id !== 'string') continue;
      if (ref['@removed']) entry.remove.add(ref.id);
      else entry.add.add(ref.id);
    }
    touched.set(id, entry);
  }
  for (const [id, entry] of touched) {
    const before = previous.groups[id];
    const base = round.full ? new Set<string>() : new Set(before?.members ?? []);
    for (const member of entry.remove) base.delete(member);
    for (const member of entry.add) base.add(member);
    const displayName = entry.displayName ?? before?.displayName ?? id;
    const group: DirGroup = { id, displayName, members: [...base] };
    groups[id] = group;
    const renamed = !before || before.displayName !== displayName;
    const oldMembers = new Set(before?.members ?? []);
    if (renamed) {
      for (const m of oldMembers) affected.add(m);
      for (const m of base) affected.add(m);
    } else {
      for (const m of base) if (!oldMembers.has(m)) affected.add(m);
      for (const m of oldMembers) if (!base.has(m)) affected.add(m);
    }
    if (renamed || !sameMembers(oldMembers, base)) changedGroups.add(id);
  }
  const removedIds = round.full
    ? Object.keys(previous.groups).filter((id) => !touched.has(id))
    : round.removed.map((r) => r.id);
  for (const id of removedIds) {
    const before = previous.groups[id];
    if (!before) continue;
    delete groups[id];
    changedGroups.add(id);
    for (const m of before.members) affected.add(m);
  }
  return { groups, affectedUsers: [...affected], changedGroups: [...changedGroups] };
}

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((m) => b.has(m));
}

/** Group display names per user (direct membership), for the mappings that name groups. */
export function groupNamesByUser(directory: Directory): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const group of Object.values(directory.groups)) {
    for (const member of group.members) {
      const names = out.get(member) ?? new Set<string>();
      names.add(group.displayName);
      out.set(member, names);
    }
  }
  return out;
}

/** The users whose manager is one of `managers` (their line manager may change when a manager changes). */
export function directReportsOf(directory: Directory, managers: ReadonlySet<string>): string[] {
  return Object.values(directory.users)
    .filter((u) => u.managerId !== undefined && managers.has(u.managerId))
    .map((u) => u.id);
}

function ageDays(sinceIso: string, now: Date): number {
  return (now.getTime() - Date.parse(sinceIso)) / 86_400_000;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
