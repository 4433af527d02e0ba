// The simulator's request/response model: handlers are functions from SimRequest to SimResponse, so $batch items
// run through exactly the same code as top-level requests.
export interface SimRequest {
  readonly method: string;
  /** Path after /v1.0 (e.g. `/users/x/mailFolders/inbox/messages`), with `('x')` key syntax turned into `/x`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly tenantId: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers };
}

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return json(
    status,
    { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() } } },
    headers,
  );
}

export function notFound(what: string): SimResponse {
  return graphError(
    404,
    'ResourceNotFound',
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function badRequest(message: string, code = 'BadRequest'): SimResponse {
  return graphError(400, code, message);
}

/** `mailFolders('inbox')` → `mailFolders/inbox` so that routes only deal with slashes. */
export function normalizePath(path: string): string {
  return decodeURIComponent(path.replace(/\('([^']*)'\)/g, '/$1').replace(/\(([^)]*)\)/g, '/$1')).replace(/\/+$/, '');
}

/** Values of the Prefer header, e.g. `odata.maxpagesize=5, IdType="ImmutableId"`. */
export function preferences(headers: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (headers.prefer ?? '').split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (name) out.set(name.toLowerCase(), (value ?? '').replace(/^"|"$/g, ''));
  }
  return out;
}

export type Route = {
  readonly name: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (request: SimRequest, params: Record<string, string>) => SimResponse | Promise<SimResponse>;
};

/** Builds a route from a template like `/users/:user/messages/:id`. */
export function route(method: string, template: string, name: string, handle: Route['handle']): Route {
  const source = template
    .split('/')
    .map((part) => (part.startsWith(':') ? `(?<${part.slice(1)}>[^/]+)` : part.replace(/[$.]/g, '\\$&')))
    .join('/');
  return { name, method, pattern: new RegExp(`^${source}$`, 'i'), handle };
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match) return { route: candidate, params: { ...(match.groups ?? {}) } };
  }
  return undefined;
}
