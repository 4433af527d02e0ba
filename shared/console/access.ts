import {
  CONSOLE_ROLES,
  type ConsoleAccess,
  type ConsolePrincipal,
  type HeaderSource,
  readClientPrincipal,
} from './principal';

/** The header every console action must carry: a cross-site form or script cannot send it without CORS approval. */
export const CONSOLE_ACTION_HEADER = 'x-halo-bridge-console';

export type AccessDecision =
  | { readonly ok: true; readonly principal: ConsolePrincipal }
  | {
      readonly ok: false;
      readonly status: 401 | 403 | 503;
      readonly error: string;
      /** Where to sign in (for a 401). */
      readonly signIn?: string;
    };

export interface ConsoleRequest {
  readonly method: string;
  readonly headers: HeaderSource;
  /** The path and query the person asked for (to come back to after signing in). */
  readonly returnTo: string;
}

/**
 * Pure: may this request see (`read`) or change (`operate`) anything through the console? Only a principal that App
 * Service Authentication put on the request counts, and only where it is known to be in front of the app
 * (`signInConfigured`), because elsewhere anyone could send the header. A function key opens nothing here.
 */
export function authorizeConsole(
  request: ConsoleRequest,
  need: ConsoleAccess,
  signInConfigured: boolean,
): AccessDecision {
  if (!signInConfigured) {
    return {
      ok: false,
      status: 503,
      error:
        'the console needs App Service Authentication in front of the app (infra/app/auth.bicep); it is not enabled here',
    };
  }
  const principal = readClientPrincipal(request.headers);
  if (!principal) {
    return { ok: false, status: 401, error: 'sign in to use the console', signIn: signInUrl(request.returnTo) };
  }
  if (!principal.access) {
    return {
      ok: false,
      status: 403,
      error: `${principal.name} holds neither the ${CONSOLE_ROLES.read} nor the ${CONSOLE_ROLES.operate} app role`,
    };
  }
  if (need === 'operate' && principal.access !== 'operate') {
    return {
      ok: false,
      status: 403,
      error: `this needs the ${CONSOLE_ROLES.operate} app role; ${principal.name} may only read`,
    };
  }
  if (request.method.toUpperCase() !== 'GET' && request.method.toUpperCase() !== 'HEAD') {
    const refused = crossSiteProblem(request.headers);
    if (refused) return { ok: false, status: 403, error: refused };
  }
  return { ok: true, principal };
}

/** App Service Authentication's sign-in path, coming back to `returnTo` (a local path only). */
export function signInUrl(returnTo: string): string {
  const local = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/api/console';
  return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(local)}`;
}

function crossSiteProblem(headers: HeaderSource): string | undefined {
  if (headers.get(CONSOLE_ACTION_HEADER) !== '1')
    return `a console action must carry the ${CONSOLE_ACTION_HEADER} header`;
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin')
    return `a console action must come from the console itself (sec-fetch-site: ${site})`;
  return undefined;
}
