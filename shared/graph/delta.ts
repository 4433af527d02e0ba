import type { GraphFailure } from './errors';
import { failureOf, GraphAccessError } from './errors';
import { type ItemParser, idOf, type SkippedItem } from './parse';

export interface DeltaRemoved {
  readonly id: string;
  /** `changed` = soft-deleted (restorable), `deleted` = gone for good. */
  readonly reason: string;
}

export interface DeltaResult<T> {
  readonly items: T[];
  readonly removed: DeltaRemoved[];
  /** Items that could not be read (their id and why): skipped, the round goes on. */
  readonly skipped: SkippedItem[];
  /** Store this and pass it next time. */
  readonly deltaLink: string;
  /** The round started from nothing: `items` is the complete set (absent = gone), not just changes. */
  readonly fullResync: boolean;
  /** Why a stored deltaLink was abandoned for a full sync (token expired, Graph asked for a resync). */
  readonly resyncReason?: string;
}

export interface DeltaPage {
  readonly value: unknown[];
  readonly nextLink?: string;
  readonly deltaLink?: string;
}

/**
 * Whether a failed delta call means "start over", and why: 410 Gone (Graph lost the state, e.g. tenant
 * maintenance; it may send a Location to restart from), `SyncStateNotFound` (token expired or unknown: 7 days for
 * directory objects; Graph answers it with 400 or 410, in any casing) or `resyncRequired`.
 */
export function deltaRestartReason(failure: GraphFailure): string | undefined {
  const code = (failure.code ?? '').toLowerCase();
  if (code === 'syncstatenotfound')
    return `the delta token expired or is unknown (${failure.code}, HTTP ${failure.status ?? 'no status'})`;
  if (code === 'resyncrequired') return `Graph requires a full resync (${failure.code}, HTTP ${failure.status})`;
  if (failure.status === 410)
    return `Graph answered 410 Gone: the change-tracking state was reset (${failure.code || 'Gone'})`;
  return undefined;
}

/** A delta link Graph no longer accepts: the round must start over (the reason says why). */
export class DeltaResyncRequiredError extends GraphAccessError {
  constructor(
    readonly reason: string,
    failure: GraphFailure,
    tenantId: string,
  ) {
    super(
      { code: 'deltaResyncRequired', message: `Delta round must start over: ${reason}`, retryable: false },
      failure,
      {
        tenantId,
      },
    );
    this.name = 'DeltaResyncRequiredError';
  }
}

/** The error a failed delta page request becomes: a DeltaResyncRequiredError when Graph asks to start over. */
export function deltaPageError(error: unknown, tenantId: string): unknown {
  const failure = error instanceof GraphAccessError ? failureOfAccessError(error) : failureOf(error);
  const reason = deltaRestartReason(failure);
  return reason ? new DeltaResyncRequiredError(reason, failure, tenantId) : error;
}

function failureOfAccessError(error: GraphAccessError): GraphFailure {
  return { status: error.status, code: error.graphCode, message: error.message };
}

/** The path a deltaLink was made from (`https://host/v1.0/users/delta?$deltatoken=…` → `/users/delta`). */
export function deltaPathOf(link: string): string {
  return new URL(link).pathname.replace(/^\/(v1\.0|beta)/, '');
}

export function isAbsoluteLink(pathOrLink: string): boolean {
  return /^https:\/\//i.test(pathOrLink);
}

/**
 * Splits a delta page's values into current items, `@removed` stubs and items that could not be read (skipped
 * with their reason). `offset` numbers items across the pages of a round.
 */
export function splitDeltaValues<T>(values: readonly unknown[], parse: ItemParser<T>, offset = 0) {
  const items: T[] = [];
  const removed: DeltaRemoved[] = [];
  const skipped: SkippedItem[] = [];
  values.forEach((value, index) => {
    const marker =
      typeof value === 'object' && value !== null
        ? ((value as Record<string, unknown>)['@removed'] as { reason?: unknown } | undefined)
        : undefined;
    const { id } = idOf(value);
    if (marker && id) {
      removed.push({ id, reason: typeof marker.reason === 'string' ? marker.reason : 'deleted' });
      return;
    }
    const parsed = parse(value);
    if (parsed.ok) items.push(parsed.value);
    else skipped.push({ index: offset + index, ...(id ? { id } : {}), reason: parsed.reason });
  });
  return { items, removed, skipped };
}

/**
 * Runs one delta round: follows nextLinks to the deltaLink. When the start link is a stored deltaLink that Graph
 * refuses (see deltaRestartReason), starts again from `fullSyncStart` and says why.
 */
export async function runDeltaRound<T>(options: {
  start: string;
  fullSyncStart: string;
  fetchPage: (pathOrLink: string, first: boolean) => Promise<DeltaPage>;
  parse: ItemParser<T>;
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
  options: { fetchPage: (pathOrLink: string, first: boolean) => Promise<DeltaPage>; parse: ItemParser<T> },
) {
  const items: T[] = [];
  const removed: DeltaRemoved[] = [];
  const skipped: SkippedItem[] = [];
  let seen = 0;
  let page = await options.fetchPage(start, true);
  for (;;) {
    const split = splitDeltaValues(page.value, options.parse, seen);
    seen += page.value.length;
    items.push(...split.items);
    removed.push(...split.removed);
    skipped.push(...split.skipped);
    if (page.deltaLink) return { items, removed, skipped, deltaLink: page.deltaLink };
    if (!page.nextLink) throw new Error('delta page had neither @odata.nextLink nor @odata.deltaLink');
    page = await options.fetchPage(page.nextLink, false);
  }
}
