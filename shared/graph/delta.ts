import type { GraphFailure } from './errors';
import { failureOf } from './errors';

export interface DeltaRemoved {
  readonly id: string;
  /** `changed` = soft-deleted (restorable), `deleted` = gone for good. */
  readonly reason: string;
}

export interface DeltaResult<T> {
  readonly items: T[];
  readonly removed: DeltaRemoved[];
  /** Store this and pass it next time. */
  readonly deltaLink: string;
  /** The round started from nothing: `items` is the complete set (absent = gone), not just changes. */
  readonly fullResync: boolean;
  /** Why a stored deltaLink was abandoned for a full sync (token expired, Graph asked for a resync). */
  readonly resyncReason?: string;
}

export interface DeltaPage {
  readonly value: Record<string, unknown>[];
  readonly nextLink?: string;
  readonly deltaLink?: string;
}

/**
 * Whether a failed delta call means "start over with a full sync", and why: 410 Gone (Graph lost the state, e.g.
 * tenant maintenance), `syncStateNotFound` (token expired: 7 days for directory objects) or `resyncRequired`.
 */
export function deltaRestartReason(failure: GraphFailure): string | undefined {
  const code = (failure.code ?? '').toLowerCase();
  if (code === 'syncstatenotfound')
    return `the delta token expired or is unknown (syncStateNotFound, ${failure.status})`;
  if (code === 'resyncrequired') return `Graph requires a full resync (resyncRequired, ${failure.status})`;
  if (failure.status === 410)
    return `Graph answered 410 Gone: the change-tracking state was reset (${failure.code ?? 'Gone'})`;
  return undefined;
}

/** The path a deltaLink was made from (`https://host/v1.0/users/delta?$deltatoken=…` → `/users/delta`). */
export function deltaPathOf(link: string): string {
  return new URL(link).pathname.replace(/^\/(v1\.0|beta)/, '');
}

export function isAbsoluteLink(pathOrLink: string): boolean {
  return /^https:\/\//i.test(pathOrLink);
}

/** Splits a delta page's values into current items and `@removed` stubs. */
export function splitRemoved<T>(values: Record<string, unknown>[], parse: (value: unknown) => T) {
  const items: T[] = [];
  const removed: DeltaRemoved[] = [];
  for (const value of values) {
    const marker = value['@removed'] as { reason?: string } | undefined;
    if (marker) removed.push({ id: String(value.id), reason: marker.reason ?? 'deleted' });
    else items.push(parse(value));
  }
  return { items, removed };
}

/**
 * Runs one delta round: follows nextLinks to the deltaLink. When the start link is a stored deltaLink that Graph
 * refuses (see deltaRestartReason), starts again from `fullSyncStart` and says why.
 */
export async function runDeltaRound<T>(options: {
  start: string;
  fullSyncStart: string;
  fetchPage: (pathOrLink: string, first: boolean) => Promise<DeltaPage>;
  parse: (value: unknown) => T;
}): Promise<DeltaResult<T>> {
  const fromToken = isAbsoluteLink(options.start);
  try {
    return { ...(await walk(options.start, options)), fullResync: !fromToken };
  } catch (error) {
    const reason = fromToken ? deltaRestartReason(failureOf(error)) : undefined;
    if (!reason) throw error;
    return { ...(await walk(options.fullSyncStart, options)), fullResync: true, resyncReason: reason };
  }
}

async function walk<T>(
  start: string,
  options: { fetchPage: (pathOrLink: string, first: boolean) => Promise<DeltaPage>; parse: (value: unknown) => T },
) {
  const items: T[] = [];
  const removed: DeltaRemoved[] = [];
  let page = await options.fetchPage(start, true);
  for (;;) {
    const split = splitRemoved(page.value, options.parse);
    items.push(...split.items);
    removed.push(...split.removed);
    if (page.deltaLink) return { items, removed, deltaLink: page.deltaLink };
    if (!page.nextLink) throw new Error('delta page had neither @odata.nextLink nor @odata.deltaLink');
    page = await options.fetchPage(page.nextLink, false);
  }
}
