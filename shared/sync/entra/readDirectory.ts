import type { TenantGraphClient } from '../../graph';
import type { DeltaRoundInput } from './directory';
import { GROUP_SELECT, type UserSelection } from './selectFields';

/** One delta round as read, with the link to store and how it went. */
export interface RoundRead extends DeltaRoundInput {
  readonly deltaLink: string;
  /** Why a stored link was given up for a full read (token expired: 400 SyncStateNotFound; 410 Gone). */
  readonly resyncReason?: string;
}

export const USERS_DELTA = '/users/delta';
export const GROUPS_DELTA = '/groups/delta';

/**
 * A users or groups delta round: from the stored deltaLink (only what changed), or from the start (everything)
 * when there is none. A link Graph refuses (expired, reset) is replaced by a full round, and the reason is kept.
 */
export async function readRound(
  graph: TenantGraphClient,
  path: typeof USERS_DELTA | typeof GROUPS_DELTA,
  link: string | undefined,
  select: readonly string[],
): Promise<RoundRead> {
  const permission = path === USERS_DELTA ? 'User.Read.All' : 'GroupMember.Read.All';
  const result = await graph.delta<Record<string, unknown>>(link ?? path, {
    select,
    context: { operation: path === USERS_DELTA ? 'usersDelta' : 'groupsDelta', permission },
  });
  return {
    items: result.items.filter(isObject),
    removed: result.removed,
    deltaLink: result.deltaLink,
    full: result.fullResync,
    ...(result.resyncReason ? { resyncReason: result.resyncReason } : {}),
  };
}

/** `$deltatoken=latest`: a deltaLink that starts from now, without reading anything ("reset → get latest"). */
export async function latestLink(
  graph: TenantGraphClient,
  path: typeof USERS_DELTA | typeof GROUPS_DELTA,
  select: readonly string[],
): Promise<string> {
  const result = await graph.delta<Record<string, unknown>>(`${path}?$deltatoken=latest`, {
    select,
    context: { operation: 'deltaLatest', permission: path === USERS_DELTA ? 'User.Read.All' : 'GroupMember.Read.All' },
  });
  return result.deltaLink;
}

export function usersSelect(selection: UserSelection): string[] {
  return selection.select;
}

export function groupsSelect(): string[] {
  return [...GROUP_SELECT];
}

/** Graph caps pages at 120 when signInActivity is selected (user.md). */
const SIGN_IN_PAGE = 120;
const FULL_PAGE = 999;

/**
 * Properties delta cannot track (Halo's "incompatible fields"): every user's on a full read (one paged
 * `GET /users`), the changed users' on a delta round (`GET /users/{id}` in `$batch`es of 20). Answers by user id.
 * `signInActivity` needs AuditLog.Read.All (and Entra ID P1/P2).
 */
export async function readUntracked(
  graph: TenantGraphClient,
  properties: readonly string[],
  ids: 'all' | readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (properties.length === 0) return out;
  const select = ['id', ...properties];
  const permission = properties.includes('signInActivity') ? 'User.Read.All, AuditLog.Read.All' : 'User.Read.All';
  if (ids === 'all') {
    const values = await graph.getAll('/users', {
      select,
      top: properties.includes('signInActivity') ? SIGN_IN_PAGE : FULL_PAGE,
      context: { operation: 'listUsersUntracked', permission },
    });
    for (const value of values)
      if (isObject(value) && typeof value.id === 'string') out.set(value.id, pick(value, properties));
    return out;
  }
  if (ids.length === 0) return out;
  const answers = await graph.batch(
    ids.map((id) => ({
      id,
      method: 'GET' as const,
      url: `/users/${encodeURIComponent(id)}?$select=${select.join(',')}`,
    })),
  );
  for (const [id, answer] of answers) {
    if (answer.status === 200 && isObject(answer.body)) out.set(id, pick(answer.body, properties));
  }
  return out;
}

function pick(value: Record<string, unknown>, properties: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(properties.filter((p) => p in value).map((p) => [p, value[p]]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
