import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Cookie, HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import type { HttpFunction } from '../../shared/runtime/registry';
import { type HostKeys, isAuthorized, presentedKey } from './httpAuth';
import { type CompiledRoute, compileRoute } from './routes';

/** The host's request size limit. */
const MAX_BODY_BYTES = 100 * 1024 * 1024;

export interface HttpRoute<D = unknown> {
  readonly fn: HttpFunction<D>;
  readonly route: CompiledRoute;
}

/** Compiles every HTTP function's route under the prefix, most specific first (literals before parameters). */
export function buildRoutes<D>(functions: readonly HttpFunction<D>[], routePrefix: string): HttpRoute<D>[] {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  return functions
    .map((fn) => ({ fn, route: compileRoute([prefix, fn.route.replace(/^\/+/, '')].filter(Boolean).join('/')) }))
    .sort((a, b) => compareSpecificity(a.route.template, b.route.template));
}

function compareSpecificity(a: string, b: string): number {
  const rank = (segment: string) =>
    !segment.startsWith('{')
      ? 0
      : segment.startsWith('{*')
        ? 4
        : segment.endsWith('?}')
          ? 3
          : segment.includes(':')
            ? 1
            : 2;
  const left = a.split('/').map(rank);
  const right = b.split('/').map(rank);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? -1) - (right[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

export type HttpDispatchResult<D = unknown> =
  | { kind: 'not-found' }
  | { kind: 'unauthorized' }
  | { kind: 'matched'; fn: HttpFunction<D>; request: HttpRequest };

/** Finds the function for a request and checks its key; builds the HttpRequest the handler gets. */
export function dispatch<D>(
  routes: readonly HttpRoute<D>[],
  keys: HostKeys,
  incoming: { method: string; url: URL; headers: Record<string, string>; body: Buffer },
): HttpDispatchResult<D> {
  const method = incoming.method.toUpperCase();
  for (const { fn, route } of routes) {
    const params = route.match(incoming.url.pathname);
    if (!params) continue;
    if (fn.methods.length > 0 && !fn.methods.some((m) => m === method)) continue;
    const key = presentedKey(incoming.headers['x-functions-key'], incoming.url.searchParams.get('code'));
    if (!isAuthorized(fn.authLevel, key, keys)) return { kind: 'unauthorized' };
    const request = new HttpRequest({
      method,
      url: incoming.url.toString(),
      headers: incoming.headers,
      query: Object.fromEntries(incoming.url.searchParams),
      params,
      body: incoming.body.length > 0 ? { bytes: incoming.body } : undefined,
    });
    return { kind: 'matched', fn, request };
  }
  return { kind: 'not-found' };
}

export async function readIncoming(req: IncomingMessage, baseUrl: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', url: new URL(req.url ?? '/', baseUrl), headers, body: Buffer.concat(chunks) };
}

/** Writes what a handler returned (an HttpResponseInit or an HttpResponse) to the socket; default status 200. */
export async function writeResponse(
  res: ServerResponse,
  result: HttpResponseInit | HttpResponse | undefined,
): Promise<void> {
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? {});
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.cookies.map(serializeCookie);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

export function writeStatus(res: ServerResponse, status: number, text?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = text ?? '';
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function serializeCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}
