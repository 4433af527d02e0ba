import { badRequest, json, type SimRequest, type SimResponse } from './http';
import { decodeCursor, encodeCursor, type PageCursor } from './odata';
import type { Json } from './store';

/** Builds absolute links back into the simulator (the real client only follows https links to known hosts). */
export function linkTo(baseUrl: string, request: SimRequest, params: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.set(key, value);
  return `${baseUrl}/v1.0${request.path}?${query.toString().replace(/%24/g, '$')}`;
}

/**
 * One page of a plain list with `$top` and `$skiptoken` paging. The skiptoken carries the offset, page size and
 * `$select`, so a nextLink is complete on its own (as Graph's are: never build one, always follow it).
 */
export function pagedList(
  baseUrl: string,
  request: SimRequest,
  items: readonly Json[],
  options: { defaultTop: number; maxTop: number; shape: (item: Json, query: URLSearchParams) => Json },
): SimResponse {
  let cursor: PageCursor;
  const skiptoken = request.query.get('$skiptoken');
  if (skiptoken) {
    const decoded = decodeCursor(skiptoken);
    if (!decoded || decoded.list !== request.path) return badRequest('Invalid $skiptoken.');
    cursor = decoded;
  } else {
    const top = request.query.get('$top');
    const size = top ? Number(top) : options.defaultTop;
    if (!Number.isInteger(size) || size < 1 || size > options.maxTop) {
      return badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${options.maxTop} inclusive.`);
    }
    cursor = { list: request.path, offset: 0, size, extra: { select: request.query.get('$select') ?? undefined } };
  }
  const selectQuery = new URLSearchParams();
  const selected = cursor.extra?.select;
  if (typeof selected === 'string') selectQuery.set('$select', selected);
  const slice = items.slice(cursor.offset, cursor.offset + cursor.size).map((item) => options.shape(item, selectQuery));
  const body: Json = { '@odata.context': `${baseUrl}/v1.0/$metadata`, value: slice };
  if (cursor.offset + cursor.size < items.length) {
    body['@odata.nextLink'] = linkTo(baseUrl, request, {
      $skiptoken: encodeCursor({ ...cursor, offset: cursor.offset + cursor.size }),
    });
  }
  return json(200, body);
}
