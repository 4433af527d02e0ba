// App Service Authentication ("Easy Auth") as the local runner plays it, so that the console behaves locally as it
// does in Azure: the `X-MS-CLIENT-PRINCIPAL*` headers are removed from every incoming request (App Service does the
// same, which is what makes them trustworthy), and a signed-in session puts them back. `/.auth/login/aad` signs
// the local operator in at once (the demo has no Entra tenant to send anyone to); `/.auth/me` and `/.auth/logout`
// answer as App Service's do.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CONSOLE_ROLES, encodeClientPrincipal, PRINCIPAL_HEADERS } from '../../shared/console/principal';

export const SESSION_COOKIE = 'AppServiceAuthSession';

export interface LocalPrincipal {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

export interface LocalSignInOptions {
  /** Who signs in (default: the local operator with both console roles). */
  readonly principal?: Omit<LocalPrincipal, 'id'>;
}

export interface EasyAuth {
  /** Answers `/.auth/*` requests; false for every other path. */
  handle(incoming: IncomingRequest, res: ServerResponse): boolean;
  /** The request's headers as the app sees them: identity headers removed, a session's put back. */
  headersFor(headers: Record<string, string>): Record<string, string>;
}

interface IncomingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
}

const DEFAULT_PRINCIPAL = {
  name: 'operator@local.demo',
  roles: [CONSOLE_ROLES.read, CONSOLE_ROLES.operate],
};

/** Headers only App Service may set: the principal, and the identity provider's tokens. */
function isIdentityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-ms-client-principal') || lower.startsWith('x-ms-token-');
}

export function localEasyAuth(options: LocalSignInOptions = {}): EasyAuth {
  const sessions = new Map<string, LocalPrincipal>();
  const base = options.principal ?? DEFAULT_PRINCIPAL;
  const sessionOf = (headers: Record<string, string>) => {
    const cookie = headers.cookie ?? '';
    const id = /(?:^|;\s*)AppServiceAuthSession=([A-Za-z0-9_-]+)/.exec(cookie)?.[1];
    return id ? { id, principal: sessions.get(id) } : undefined;
  };
  return {
    handle(incoming, res) {
      const path = incoming.url.pathname.toLowerCase();
      if (!path.startsWith('/.auth/')) return false;
      if (path === '/.auth/login/aad' || path === '/.auth/login/aad/callback') {
        const roles = rolesFrom(incoming.url.searchParams.get('roles'), base.roles);
        const id = randomBytes(24).toString('base64url');
        sessions.set(id, { id: randomUUID(), name: base.name, roles });
        redirect(res, localPath(incoming.url.searchParams.get('post_login_redirect_uri')), [
          `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`,
        ]);
        return true;
      }
      if (path === '/.auth/logout') {
        const session = sessionOf(incoming.headers);
        if (session) sessions.delete(session.id);
        redirect(res, localPath(incoming.url.searchParams.get('post_logout_redirect_uri')), [
          `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
        ]);
        return true;
      }
      if (path === '/.auth/me') {
        const principal = sessionOf(incoming.headers)?.principal;
        const body = principal
          ? [
              {
                provider_name: 'aad',
                user_id: principal.name,
                user_claims: [
                  { typ: 'name', val: principal.name },
                  ...principal.roles.map((val) => ({ typ: 'roles', val })),
                ],
              },
            ]
          : [];
        const text = JSON.stringify(body);
        res.writeHead(principal ? 200 : 401, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
        return true;
      }
      res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 9 });
      res.end('not found');
      return true;
    },
    headersFor(headers) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) if (!isIdentityHeader(name)) out[name] = value;
      const principal = sessionOf(headers)?.principal;
      if (principal) {
        out[PRINCIPAL_HEADERS.principal] = encodeClientPrincipal(principal);
        out[PRINCIPAL_HEADERS.id] = principal.id;
        out[PRINCIPAL_HEADERS.name] = principal.name;
        out[PRINCIPAL_HEADERS.identityProvider] = 'aad';
      }
      return out;
    },
  };
}

/** Only headers removed, nobody signed in: for runners without the local sign-in. */
export function stripIdentityHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isIdentityHeader(name)));
}

/** `?roles=Console.Read` signs in with fewer roles (to try the read-only console); never more than configured. */
function rolesFrom(requested: string | null, allowed: readonly string[]): readonly string[] {
  if (!requested) return allowed;
  return requested
    .split(',')
    .map((r) => r.trim())
    .filter((r) => allowed.includes(r));
}

function localPath(target: string | null): string {
  return target?.startsWith('/') && !target.startsWith('//') ? target : '/api/console';
}

function redirect(res: ServerResponse, location: string, cookies: string[]): void {
  res.writeHead(302, { location, 'set-cookie': cookies, 'content-length': 0 });
  res.end();
}
