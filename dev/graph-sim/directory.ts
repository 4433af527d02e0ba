import type { GraphStore, Json, SimTenant } from './store';

/**
 * The directory's change history for `users/delta` and `groups/delta`: which user properties changed (so that a
 * round whose `$select` does not cover them leaves the user out, as Graph does), managers (a relationship, not a
 * property: `manager@delta`), group renames and membership changes (`members@delta`), and soft-deleted users
 * (restorable: `@removed: changed`; hard-deleted: `deleted`). Change the directory through these functions so that
 * delta rounds and change notifications see it.
 */
export interface UserChange {
  readonly seq: number;
  readonly id: string;
  /** Changed properties; `all` for a user created or restored. `manager` for a manager change. */
  readonly props: readonly string[] | 'all';
  readonly removed?: 'changed' | 'deleted';
  /** A manager change: who the manager was before. */
  readonly previousManager?: string;
}

export interface GroupChange {
  readonly seq: number;
  readonly id: string;
  readonly renamed?: boolean;
  readonly created?: boolean;
  readonly deleted?: boolean;
  readonly members?: readonly { readonly id: string; readonly removed: boolean }[];
}

export interface Directory {
  readonly users: UserChange[];
  readonly groups: GroupChange[];
  /** user id → manager id. */
  readonly managers: Map<string, string>;
  /** Soft-deleted users (restorable), with the groups they were in. */
  readonly deletedUsers: Map<string, { user: Json; groups: string[]; manager?: string }>;
}

const directories = new WeakMap<SimTenant, Directory>();

/**
 * The tenant's directory history. The seed may name a user's manager (`managerId` on the user): it becomes the
 * manager relationship and leaves the user's properties, as Graph has no such property.
 */
export function directoryOf(tenant: SimTenant): Directory {
  let directory = directories.get(tenant);
  if (!directory) {
    directory = { users: [], groups: [], managers: new Map(), deletedUsers: new Map() };
    for (const user of tenant.users.values()) {
      if (typeof user.managerId === 'string') directory.managers.set(String(user.id), user.managerId);
      delete user.managerId;
    }
    for (const group of tenant.groups) group.members = Array.isArray(group.members) ? [...group.members] : [];
    directories.set(tenant, directory);
  }
  return directory;
}

/** Attaches every tenant's directory history (at simulator start, so that seeds are normalised before any read). */
export function attachDirectories(store: GraphStore): void {
  for (const tenant of store.tenants.values()) directoryOf(tenant);
}

export function groupMembers(group: Json): string[] {
  return Array.isArray(group.members) ? (group.members as string[]) : [];
}

function requireGroup(tenant: SimTenant, groupId: string): Json {
  const group = tenant.groups.find((g) => g.id === groupId);
  if (!group) throw new Error(`no simulated group ${groupId} in tenant ${tenant.id}`);
  return group;
}

/**
 * Creates or changes a user: only the properties given change, and only those count for `$select` tracking. A
 * property set to `undefined` is removed.
 */
export function updateUser(store: GraphStore, tenantId: string, user: Json & { id: string }): void {
  const tenant = store.requireTenant(tenantId);
  const directory = directoryOf(tenant);
  const existing = tenant.users.get(user.id);
  const props = existing ? Object.keys(user).filter((k) => k !== 'id' && existing[k] !== user[k]) : 'all';
  store.upsertUser(tenantId, { ...user });
  const stored = tenant.users.get(user.id)!;
  for (const [key, value] of Object.entries(user)) if (value === undefined) delete stored[key];
  directory.users.push({ seq: store.currentSeq(), id: user.id, props });
}

/** Sets (or, with null, removes) a user's manager. */
export function setManager(store: GraphStore, tenantId: string, userId: string, managerId: string | null): void {
  const tenant = store.requireTenant(tenantId);
  const directory = directoryOf(tenant);
  if (!tenant.users.has(userId)) throw new Error(`no simulated user ${userId}`);
  const previousManager = directory.managers.get(userId);
  if (managerId === null) directory.managers.delete(userId);
  else directory.managers.set(userId, managerId);
  directory.users.push({
    seq: store.nextSeq(),
    id: userId,
    props: ['manager'],
    ...(previousManager ? { previousManager } : {}),
  });
}

/** Soft delete (`changed`: in the deleted items, restorable) or hard delete (`deleted`). Memberships go with it. */
export function deleteUser(store: GraphStore, tenantId: string, userId: string, how: 'soft' | 'hard' = 'soft'): void {
  const tenant = store.requireTenant(tenantId);
  const directory = directoryOf(tenant);
  const user = tenant.users.get(userId) ?? directory.deletedUsers.get(userId)?.user;
  if (!user) throw new Error(`no simulated user ${userId}`);
  const groups = tenant.groups.filter((g) => groupMembers(g).includes(userId)).map((g) => String(g.id));
  for (const groupId of groups) changeMembers(store, tenant, groupId, [{ id: userId, removed: true }]);
  const manager = directory.managers.get(userId);
  if (how === 'soft') directory.deletedUsers.set(userId, { user, groups, ...(manager ? { manager } : {}) });
  else directory.deletedUsers.delete(userId);
  directory.managers.delete(userId);
  const reason = how === 'soft' ? 'changed' : 'deleted';
  store.removeUser(tenantId, userId, reason);
  directory.users.push({ seq: store.currentSeq(), id: userId, props: [], removed: reason });
}

/** Brings a soft-deleted user back, with its groups and manager (as restoring from deleted items does). */
export function restoreUser(store: GraphStore, tenantId: string, userId: string): void {
  const tenant = store.requireTenant(tenantId);
  const directory = directoryOf(tenant);
  const deleted = directory.deletedUsers.get(userId);
  if (!deleted) throw new Error(`user ${userId} is not in the deleted items`);
  directory.deletedUsers.delete(userId);
  store.upsertUser(tenantId, deleted.user);
  if (deleted.manager) directory.managers.set(userId, deleted.manager);
  directory.users.push({ seq: store.currentSeq(), id: userId, props: 'all' });
  for (const groupId of deleted.groups) changeMembers(store, tenant, groupId, [{ id: userId, removed: false }]);
}

export function addMembers(store: GraphStore, tenantId: string, groupId: string, userIds: readonly string[]): void {
  const tenant = store.requireTenant(tenantId);
  changeMembers(
    store,
    tenant,
    groupId,
    userIds.map((id) => ({ id, removed: false })),
  );
}

export function removeMembers(store: GraphStore, tenantId: string, groupId: string, userIds: readonly string[]): void {
  const tenant = store.requireTenant(tenantId);
  changeMembers(
    store,
    tenant,
    groupId,
    userIds.map((id) => ({ id, removed: true })),
  );
}

export function renameGroup(store: GraphStore, tenantId: string, groupId: string, displayName: string): void {
  const tenant = store.requireTenant(tenantId);
  requireGroup(tenant, groupId).displayName = displayName;
  directoryOf(tenant).groups.push({ seq: store.nextSeq(), id: groupId, renamed: true });
}

export function createGroup(
  store: GraphStore,
  tenantId: string,
  group: { id: string; displayName: string; members?: string[] },
): void {
  const tenant = store.requireTenant(tenantId);
  const directory = directoryOf(tenant);
  tenant.groups.push({ ...group, members: [...(group.members ?? [])] });
  directory.groups.push({
    seq: store.nextSeq(),
    id: group.id,
    created: true,
    members: (group.members ?? []).map((id) => ({ id, removed: false })),
  });
}

export function deleteGroup(store: GraphStore, tenantId: string, groupId: string): void {
  const tenant = store.requireTenant(tenantId);
  const index = tenant.groups.findIndex((g) => g.id === groupId);
  if (index < 0) throw new Error(`no simulated group ${groupId}`);
  tenant.groups.splice(index, 1);
  directoryOf(tenant).groups.push({ seq: store.nextSeq(), id: groupId, deleted: true });
}

function changeMembers(
  store: GraphStore,
  tenant: SimTenant,
  groupId: string,
  changes: readonly { id: string; removed: boolean }[],
): void {
  const group = requireGroup(tenant, groupId);
  const members = new Set(groupMembers(group));
  const effective = changes.filter((c) => (c.removed ? members.has(c.id) : !members.has(c.id)));
  if (effective.length === 0) return;
  for (const change of effective) {
    if (change.removed) members.delete(change.id);
    else members.add(change.id);
  }
  group.members = [...members];
  directoryOf(tenant).groups.push({ seq: store.nextSeq(), id: groupId, members: effective });
}
