import { graphError, json, type SimRequest, type SimResponse } from './http';
import { decodeCursor, encodeCursor, type PageCursor } from './odata';
import { linkTo } from './paging';
import type { Json } from './store';

/** How an expired delta token is answered (set by expireDeltaTokens). Graph sends both 400 and 410. */
export interface DeltaExpiry {
  status: number;
  code: string;
}

/** One entry of a delta page: an item shaped with the round's `$select`, or a value sent as it is. */
export type DeltaEntry = { readonly item: Json } | { readonly raw: Json };

export interface DeltaSource {
  /** Identifies the delta stream (tenant + path), so tokens are not accepted elsewhere. */
  readonly list: string;
  readonly epoch: number;
  readonly expiry: DeltaExpiry;
  readonly currentSeq: number;
  readonly pageSize: number;
  /** `$deltatoken=latest` (directory resources) answers with a deltaLink only; messages have no such token. */
  readonly supportsLatest: boolean;
  /** Most items an initial round with `$filter` returns (messages: 5,000), the newest ones. */
  readonly filteredLimit?: number;
  /**
   * What the initial round lists: everything the filter accepts that was there when the round started (`until`),
   * each with a stable position.
   */
  snapshot(filter: string | undefined, until: number): { key: number; item: Json }[];
  /** What changed after `since` up to `until`, in order. */
  changes(since: number, until: number, filter: string | undefined): DeltaEntry[];
  shape(item: Json, select: string | undefined): Json;
}

interface DeltaState {
  mode: 'initial' | 'changes';
  since: number;
  until: number;
  epoch: number;
  select?: string;
  /** The first request's `$filter`, which Graph encodes into every later link of the stream. */
  filter?: string;
  /** Initial rounds page by position, so that items leaving the folder mid-round never shift a page. */
  after?: number;
}

/**
 * A delta round: follows Graph's protocol of nextLinks with `$skiptoken` until a page carries the deltaLink with
 * `$deltatoken`. Query options of the first request (`$select`, `$filter`) live on in the tokens. Tokens of an
 * older epoch (after expireDeltaTokens) are refused the way Graph refuses them (400 or 410 with a Location).
 */
export function serveDelta(baseUrl: string, request: SimRequest, source: DeltaSource): SimResponse {
  const skiptoken = request.query.get('$skiptoken');
  const deltatoken = request.query.get('$deltatoken');
  if (deltatoken === 'latest') {
    if (!source.supportsLatest) return graphError(400, 'BadRequest', "The delta token 'latest' is not supported.");
    const state: DeltaState = {
      mode: 'changes',
      since: source.currentSeq,
      until: source.currentSeq,
      epoch: source.epoch,
    };
    return json(200, { value: [], '@odata.deltaLink': deltaLink(baseUrl, request, source, state) });
  }
  let cursor: PageCursor;
  const token = skiptoken ?? deltatoken;
  if (token) {
    const decoded = decodeCursor(token);
    const state = decoded?.extra as DeltaState | undefined;
    if (!decoded || !state || decoded.list !== source.list) {
      return graphError(400, 'resyncRequired', 'The delta token is not valid for this resource; start a full sync.');
    }
    if (state.epoch < source.epoch) return expired(baseUrl, request, source);
    cursor = deltatoken
      ? {
          list: source.list,
          offset: 0,
          size: source.pageSize,
          extra: { ...state, mode: 'changes', until: source.currentSeq },
        }
      : { ...decoded, size: source.pageSize };
  } else {
    const filter = request.query.get('$filter') ?? undefined;
    const state: DeltaState = {
      mode: 'initial',
      since: 0,
      until: source.currentSeq,
      epoch: source.epoch,
      ...(request.query.get('$select') ? { select: request.query.get('$select')! } : {}),
      ...(filter ? { filter } : {}),
    };
    cursor = { list: source.list, offset: 0, size: source.pageSize, extra: { ...state } };
  }
  const state = cursor.extra as unknown as DeltaState;
  const page = state.mode === 'initial' ? initialPage(source, state, cursor.size) : changesPage(source, state, cursor);
  const body: Json = {
    value: page.entries.map((entry) => ('raw' in entry ? entry.raw : source.shape(entry.item, state.select))),
  };
  if (page.next) {
    body['@odata.nextLink'] = linkTo(baseUrl, request, { $skiptoken: encodeCursor({ ...cursor, ...page.next }) });
  } else {
    body['@odata.deltaLink'] = deltaLink(baseUrl, request, source, {
      ...state,
      mode: 'changes',
      since: state.until,
      after: undefined,
    });
  }
  return json(200, body, { 'Preference-Applied': `odata.maxpagesize=${source.pageSize}` });
}

type Page = { entries: DeltaEntry[]; next?: Partial<PageCursor> };

function initialPage(source: DeltaSource, state: DeltaState, size: number): Page {
  let all = source.snapshot(state.filter, state.until).sort((a, b) => a.key - b.key);
  if (state.filter && source.filteredLimit !== undefined) all = all.slice(-source.filteredLimit);
  const rest = all.filter((entry) => state.after === undefined || entry.key > state.after);
  const taken = rest.slice(0, size);
  const entries = taken.map(({ item }) => ({ item }));
  if (rest.length <= size) return { entries };
  return { entries, next: { extra: { ...state, after: taken.at(-1)!.key } } };
}

function changesPage(source: DeltaSource, state: DeltaState, cursor: PageCursor): Page {
  const all = source.changes(state.since, state.until, state.filter);
  const entries = all.slice(cursor.offset, cursor.offset + cursor.size);
  if (cursor.offset + cursor.size >= all.length) return { entries };
  return { entries, next: { offset: cursor.offset + cursor.size } };
}

/** Graph's answers to a token it no longer knows: 410 Gone with a Location to start over from, or a 400. */
function expired(baseUrl: string, request: SimRequest, source: DeltaSource): SimResponse {
  const { status, code } = source.expiry;
  const response = graphError(status, code, 'The sync state for this delta token was not found. Start a full sync.');
  if (status === 410)
    response.headers = { ...response.headers, Location: linkTo(baseUrl, request, { $deltatoken: '' }) };
  return response;
}

function deltaLink(baseUrl: string, request: SimRequest, source: DeltaSource, state: DeltaState): string {
  return linkTo(baseUrl, request, {
    $deltatoken: encodeCursor({ list: source.list, offset: 0, size: source.pageSize, extra: { ...state } }),
  });
}
