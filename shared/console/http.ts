import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import type { Container } from '../app/container';
import { readBodyText } from '../runtime/httpBody';
import { type AccessDecision, authorizeConsole } from './access';
import { CONSOLE_ASSETS, CONSOLE_BASE } from './assets';
import { type ConsoleDeps, consoleDepsOf } from './deps';
import { escapeHtml } from './html/html';
import type { PageContext } from './html/layout';
import type { ConsoleAccess, ConsolePrincipal } from './principal';
import { type Loaded, parseQueryOf } from './reads';

/**
 * Every console response: no caching of operational data, no framing, no referrer to Halo, and a policy that lets
 * the page load only its own stylesheet and script (no inline code, no other origin).
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  vary: 'Accept, Cookie',
};

export interface ConsoleRead<T> {
  readonly need?: ConsoleAccess;
  load(request: HttpRequest, deps: ConsoleDeps, principal: ConsolePrincipal): Promise<Loaded<T>>;
  /** The HTML page for the data; without it the endpoint is JSON only. */
  page?(data: T, context: PageContext): string;
}

/** Loader helper: parses the query string with the read's schema (the same schema the CLI parses its flags with). */
export function queryOf<S extends z.ZodType>(request: HttpRequest, schema: S) {
  const params: Record<string, string> = {};
  request.query.forEach((value, key) => {
    if (key !== 'format') params[key] = value;
  });
  return parseQueryOf(schema, params);
}

/** Serves a console page or its JSON, after checking who is asking. */
export async function serveConsoleRead<T>(
  request: HttpRequest,
  deps: Container,
  endpoint: ConsoleRead<T>,
): Promise<HttpResponseInit> {
  const html = endpoint.page !== undefined && wantsHtml(request);
  const access = authorize(request, deps, endpoint.need ?? 'read');
  if (!access.ok) return refusal(access, html);
  const loaded = await endpoint.load(request, consoleDepsOf(deps), access.principal);
  if (!loaded.ok) {
    const body = { error: loaded.error, ...(loaded.problems ? { problems: loaded.problems } : {}) };
    return html
      ? htmlResponse(loaded.status, errorPage(loaded.status, body.error, body.problems))
      : jsonResponse(loaded.status, body);
  }
  if (html && endpoint.page) {
    return htmlResponse(200, endpoint.page(loaded.data, { principal: access.principal, now: deps.now() }));
  }
  return jsonResponse(200, loaded.data);
}

export type ActionResult =
  | { readonly ok: true; readonly status?: 200 | 202; readonly message: string; readonly [key: string]: unknown }
  | {
      readonly ok: false;
      readonly status: 400 | 404 | 409 | 502 | 503;
      readonly error: string;
      readonly [key: string]: unknown;
    };

export interface ConsoleAction<S extends z.ZodType> {
  readonly body: S;
  run(request: HttpRequest, deps: Container, body: z.output<S>, principal: ConsolePrincipal): Promise<ActionResult>;
}

/** Runs an operator action (a POST with a JSON body), after checking the operate role and that it came from the console. */
export async function serveConsoleAction<S extends z.ZodType>(
  request: HttpRequest,
  deps: Container,
  action: ConsoleAction<S>,
): Promise<HttpResponseInit> {
  const access = authorize(request, deps, 'operate');
  if (!access.ok) return refusal(access, false);
  const text = await readBodyText(request);
  if (!text.ok) return jsonResponse(text.status, { error: text.error });
  let raw: unknown = {};
  if (text.text.trim()) {
    try {
      raw = JSON.parse(text.text);
    } catch {
      return jsonResponse(400, { error: 'the body is not JSON' });
    }
  }
  const parsed = action.body.safeParse(raw);
  if (!parsed.success) {
    return jsonResponse(400, {
      error: 'invalid request body',
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    });
  }
  const result = await action.run(request, deps, parsed.data, access.principal);
  const { ok, status, ...rest } = result;
  deps.log.info('console action', {
    action: new URL(request.url).pathname,
    by: access.principal.name,
    ok,
    ...(ok ? {} : { error: result.error }),
  });
  return jsonResponse(status ?? 200, rest);
}

function authorize(request: HttpRequest, deps: Container, need: ConsoleAccess): AccessDecision {
  const url = new URL(request.url);
  return authorizeConsole(
    { method: request.method, headers: request.headers, returnTo: `${url.pathname}${url.search}` },
    need,
    deps.settings.WEBSITE_AUTH_ENABLED,
  );
}

/** HTML for a browser's navigation, JSON for everything else (or as `?format=` says). */
export function wantsHtml(request: HttpRequest): boolean {
  const format = request.query.get('format');
  if (format === 'json') return false;
  if (format === 'html') return true;
  return (request.headers.get('accept') ?? '').includes('text/html');
}

function refusal(access: Extract<AccessDecision, { ok: false }>, html: boolean): HttpResponseInit {
  if (access.status === 401 && html && access.signIn) {
    return { status: 302, headers: { ...CONSOLE_SECURITY_HEADERS, location: access.signIn } };
  }
  const body = { error: access.error, ...(access.signIn ? { signIn: access.signIn } : {}) };
  return html ? htmlResponse(access.status, errorPage(access.status, access.error)) : jsonResponse(access.status, body);
}

export function jsonResponse(status: number, body: unknown): HttpResponseInit {
  return {
    status,
    headers: { ...CONSOLE_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function htmlResponse(status: number, body: string): HttpResponseInit {
  return { status, headers: { ...CONSOLE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' }, body };
}

function errorPage(status: number, error: string, problems?: readonly string[]): string {
  const list = problems?.length ? `<ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  const css = `${CONSOLE_BASE}/assets/${CONSOLE_ASSETS.css.name}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status} · halo-bridge</title><link rel="stylesheet" href="${css}"></head><body><main><h1>${status}</h1><p class="error">${escapeHtml(error)}</p>${list}<p><a href="${CONSOLE_BASE}">Console</a></p></main></body></html>`;
}
