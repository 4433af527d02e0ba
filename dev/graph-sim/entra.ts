import { constants, randomUUID, verify, X509Certificate } from 'node:crypto';
import type { SimResponse } from './http';
import type { GraphStore, SimTenant } from './store';
import type { TokenIssuer } from './tokens';

export interface TokenGrant {
  readonly tenant: SimTenant;
  readonly clientId: string;
}

/** Entra's answer shape for token errors (`error`, `error_description` with the AADSTS code, `error_codes`). */
export function entraError(status: number, error: string, code: number, description: string): SimResponse {
  const now = new Date().toISOString();
  const trace = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${randomUUID()} Timestamp: ${now}`,
      error_codes: [code],
      timestamp: now,
      trace_id: trace,
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export function findTenant(store: GraphStore, tenantRef: string): SimTenant | undefined {
  const byId = store.tenant(tenantRef);
  if (byId) return byId;
  const domain = tenantRef.toLowerCase();
  for (const tenant of store.tenants.values()) {
    if (tenant.domains.some((d) => String(d.id).toLowerCase() === domain)) return tenant;
  }
  return undefined;
}

export function openIdConfiguration(authorityBase: string, tenantRef: string): SimResponse {
  const base = `${authorityBase}/${tenantRef}`;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      tenant_region_scope: 'EU',
    },
  };
}

/** POST /{tenant}/oauth2/v2.0/token with grant_type=client_credentials (secret or certificate assertion). */
export function issueToken(
  store: GraphStore,
  issuer: TokenIssuer,
  tenantRef: string,
  form: URLSearchParams,
  nowMs: number,
  lifetimeSeconds: number,
): SimResponse {
  const tenant = findTenant(store, tenantRef);
  if (!tenant) return entraError(400, 'invalid_request', 90002, `Tenant '${tenantRef}' not found.`);
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  const clientId = form.get('client_id') ?? '';
  // The multitenant app (consented per tenant), or an app registered in this tenant only.
  const own = tenant.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  const app = own ?? (clientId.toLowerCase() === store.app.clientId.toLowerCase() ? store.app : undefined);
  if (!app || (!own && !tenant.consented)) {
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (!app.secrets.includes(secret)) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
  } else if (assertion !== null) {
    const problem = checkAssertion(assertion, app.certificates, clientId, nowMs);
    if (problem) return entraError(401, 'invalid_client', problem.code, problem.message);
  } else {
    return entraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const iat = Math.floor(nowMs / 1000);
  const token = issuer.issue({ tid: tenant.id, appid: clientId, iat, exp: iat + lifetimeSeconds });
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: lifetimeSeconds, ext_expires_in: lifetimeSeconds, access_token: token },
  };
}

function checkAssertion(
  assertion: string,
  certificates: readonly string[],
  clientId: string,
  nowMs: number,
): { code: number; message: string } | undefined {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return { code: 50027, message: 'Invalid JWT token. Token format not valid.' };
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
  if (claims.sub?.toLowerCase() !== clientId.toLowerCase()) {
    return { code: 700021, message: 'Client assertion application identifier does not match client_id.' };
  }
  if (!claims.exp || claims.exp * 1000 < nowMs)
    return { code: 700024, message: 'Client assertion is not within its valid time range.' };
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const ok = certificates.some((pem) => {
    const key = new X509Certificate(pem).publicKey;
    if (head.alg === 'PS256') {
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    }
    return verify('sha256', data, key, sig);
  });
  return ok
    ? undefined
    : { code: 700027, message: 'Client assertion failed signature validation. The key was not found on the app.' };
}
