import { graphError, json, type SimRequest, type SimResponse } from './http';
import { decodeCursor, encodeCursor, type PageCursor } from './odata';
import { linkTo } from './paging';
import type { Json } from './store';

/** How an expired delta token is answered (set by expireDeltaTokens). */
export interface DeltaExpiry {
  status: number;
  code: 'syncStateNotFound' | 'resyncRequired';
}

export interface DeltaSource {
  /** Identifies the delta stream (tenant + path), so tokens are not accepted elsewhere. */
  readonly list: string;
  readonly epoch: number;
  readonly expiry: DeltaExpiry;
  readonly currentSeq: number;
  readonly pageSize: number;
  /** Everything there is now (the initial round). */
  snapshot(): Json[];
  /** Items (or `@removed` stubs) for what changed after `since` up to `until`. */
  changes(since: number, until: number): Json[];
  shape(item: Json, select: string | undefined): Json;
}

interface DeltaState {
  mode: 'initial' | 'changes';
  since: number;
  until: number;
  epoch: number;
  select?: string;
}

/**
 * A delta round: follows Graph's protocol of nextLinks with `$skiptoken` until a page carries the deltaLink with
 * `$deltatoken`. Tokens of an older epoch (after expireDeltaTokens) are refused.
 */
export function serveDelta(baseUrl: string, request: SimRequest, source: DeltaSource): SimResponse {
  const skiptoken = request.query.get('$skiptoken');
  const deltatoken = request.query.get('$deltatoken');
  let cursor: PageCursor;
  if (deltatoken === 'latest') {
    const state: DeltaState = {
      mode: 'changes',
      since: source.currentSeq,
      until: source.currentSeq,
      epoch: source.epoch,
    };
    return json(200, { value: [], '@odata.deltaLink': deltaLink(baseUrl, request, source, state) });
  }
  const token = skiptoken ?? deltatoken;
  if (token) {
    const decoded = decodeCursor(token);
    const state = decoded?.extra as DeltaState | undefined;
    if (!decoded || !state || decoded.list !== source.list) {
      return graphError(400, 'resyncRequired', 'The delta token is not valid for this resource; start a full sync.');
    }
    if (state.epoch < source.epoch) {
      return graphError(source.expiry.status, source.expiry.code, 'The sync state for this delta token was not found.');
    }
    cursor = deltatoken
      ? {
          list: source.list,
          offset: 0,
          size: source.pageSize,
          extra: { ...state, mode: 'changes', until: source.currentSeq },
        }
      : decoded;
  } else {
    const state: DeltaState = {
      mode: 'initial',
      since: 0,
      until: source.currentSeq,
      epoch: source.epoch,
      select: request.query.get('$select') ?? undefined,
    };
    cursor = { list: source.list, offset: 0, size: source.pageSize, extra: { ...state } };
  }
  const state = cursor.extra as unknown as DeltaState;
  const all = state.mode === 'initial' ? source.snapshot() : source.changes(state.since, state.until);
  const page = all
    .slice(cursor.offset, cursor.offset + cursor.size)
    .map((item) => ('@removed' in item ? item : source.shape(item, state.select)));
  const body: Json = { value: page };
  if (cursor.offset + cursor.size < all.length) {
    body['@odata.nextLink'] = linkTo(baseUrl, request, {
      $skiptoken: encodeCursor({ ...cursor, offset: cursor.offset + cursor.size }),
    });
  } else {
    body['@odata.deltaLink'] = deltaLink(baseUrl, request, source, { ...state, mode: 'changes', since: state.until });
  }
  return json(200, body, { 'Preference-Applied': `odata.maxpagesize=${source.pageSize}` });
}

function deltaLink(baseUrl: string, request: SimRequest, source: DeltaSource, state: DeltaState): string {
  return linkTo(baseUrl, request, {
    $deltatoken: encodeCursor({ list: source.list, offset: 0, size: source.pageSize, extra: { ...state } }),
  });
}
