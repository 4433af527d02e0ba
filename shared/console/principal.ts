import { z } from 'zod';

/**
 * The console's two app roles (values of the Entra app registration's app roles, assigned to people or groups in
 * Enterprise applications): reading everything, and operating (replay, dismiss, start a sync) on top of reading.
 */
export const CONSOLE_ROLES = { read: 'Console.Read', operate: 'Console.Operate' } as const;

export type ConsoleAccess = 'read' | 'operate';

/** A signed-in person as App Service Authentication describes them. */
export interface ConsolePrincipal {
  readonly id: string;
  readonly name: string;
  readonly identityProvider: string;
  readonly roles: readonly string[];
  /** What the roles allow; undefined when the person holds neither console role. */
  readonly access: ConsoleAccess | undefined;
}

/** The headers App Service Authentication sets on a signed-in request (and removes from anyone else's). */
export const PRINCIPAL_HEADERS = {
  principal: 'x-ms-client-principal',
  id: 'x-ms-client-principal-id',
  name: 'x-ms-client-principal-name',
  identityProvider: 'x-ms-client-principal-idp',
} as const;

const ROLE_CLAIMS = ['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const NAME_CLAIMS = ['name', 'preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];
const ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];

const principalSchema = z.object({
  auth_typ: z.string().optional(),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).default([]),
});

export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Reads the principal App Service Authentication put on the request (`X-MS-CLIENT-PRINCIPAL`, base64 JSON with
 * `claims`, `name_typ`, `role_typ`). Undefined when there is none or it is unreadable. Trust it only where the front
 * door strips the header from incoming requests (see consoleSignInConfigured).
 */
export function readClientPrincipal(headers: HeaderSource): ConsolePrincipal | undefined {
  const encoded = headers.get(PRINCIPAL_HEADERS.principal);
  if (!encoded) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = principalSchema.safeParse(decoded);
  if (!parsed.success) return undefined;
  const { claims, name_typ, role_typ, auth_typ } = parsed.data;
  const valuesOf = (types: readonly (string | undefined)[]) =>
    claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const roles = [...new Set(valuesOf([role_typ, ...ROLE_CLAIMS]))];
  const id = headers.get(PRINCIPAL_HEADERS.id) ?? valuesOf(ID_CLAIMS)[0];
  const name = valuesOf([name_typ, ...NAME_CLAIMS])[0] ?? headers.get(PRINCIPAL_HEADERS.name) ?? id;
  if (!id || !name) return undefined;
  return {
    id,
    name,
    identityProvider: headers.get(PRINCIPAL_HEADERS.identityProvider) ?? auth_typ ?? 'unknown',
    roles,
    access: accessOf(roles),
  };
}

export function accessOf(roles: readonly string[]): ConsoleAccess | undefined {
  if (roles.includes(CONSOLE_ROLES.operate)) return 'operate';
  if (roles.includes(CONSOLE_ROLES.read)) return 'read';
  return undefined;
}

/** Builds the header value App Service Authentication would send (the local sign-in and the tests use it). */
export function encodeClientPrincipal(principal: { id: string; name: string; roles: readonly string[] }): string {
  const roleType = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
  const body = {
    auth_typ: 'aad',
    name_typ: 'name',
    role_typ: roleType,
    claims: [
      { typ: 'name', val: principal.name },
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: principal.id },
      ...principal.roles.map((val) => ({ typ: roleType, val })),
    ],
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}
