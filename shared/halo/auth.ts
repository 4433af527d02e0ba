import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';
import { decideRetry, parseRetryAfterMs, type RetryPolicy } from './backoff';
import { extractHaloMessage, HaloApiError, HaloResponseError } from './errors';
import { type AccessToken, tokenFromResponse, tokenResponseSchema } from './token';

export interface HaloAuthOptions {
  /** The instance root, e.g. `https://acme.halopsa.com` (the API is under /api). */
  baseUrl: string;
  /** The authorisation server; discovered from `/api/authinfo` when absent. */
  authUrl?: string;
  /** Hosted Halo's tenant (sent as `?tenant=`); discovered too when authinfo names one. */
  tenant?: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  userAgent: string;
  retry: RetryPolicy;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  onTokenRequest: () => void;
}

const authInfoSchema = z.looseObject({
  auth_url: z.string().min(1).optional(),
  tenant_id: z.string().nullish(),
  tenant: z.string().nullish(),
});

interface TokenEndpoint {
  url: string;
}

/** `<auth>/token?tenant=<tenant>`; with no auth URL known, `<base>/auth/token` as HaloAPI falls back to. */
export function tokenEndpointUrl(authUrl: string, tenant: string | undefined): string {
  const url = new URL(`${authUrl.replace(/\/+$/, '')}/token`);
  if (tenant) url.searchParams.set('tenant', tenant);
  return url.toString();
}

async function fetchJson(
  options: HaloAuthOptions,
  method: 'GET' | 'POST',
  url: string,
  body?: URLSearchParams,
): Promise<unknown> {
  const path = new URL(url).pathname;
  for (let attempt = 1, retries = 0; ; attempt++) {
    let status = 0;
    let payload: unknown;
    let retryAfter: string | null = null;
    let failure: unknown;
    try {
      const response = await options.fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': options.userAgent,
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: body?.toString(),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      const text = await response.text();
      try {
        payload = text === '' ? undefined : JSON.parse(text);
      } catch {
        payload = text;
      }
      if (response.ok) return payload;
    } catch (error) {
      failure = error;
    }
    const decision = decideRetry({
      status,
      retriesSoFar: retries,
      retryAfterMs: parseRetryAfterMs(retryAfter, options.now()),
      policy: options.retry,
      random: options.random,
    });
    if (!decision.retry) {
      throw new HaloApiError({
        status,
        method,
        path,
        haloMessage:
          status === 0 ? ((failure as Error | undefined)?.message ?? 'network error') : extractHaloMessage(payload),
        attempts: attempt,
        secrets: [options.clientSecret],
      });
    }
    retries++;
    await options.sleep(decision.delayMs);
  }
}

async function discoverTokenEndpoint(options: HaloAuthOptions): Promise<TokenEndpoint> {
  const base = options.baseUrl.replace(/\/+$/, '');
  if (options.authUrl) return { url: tokenEndpointUrl(options.authUrl, options.tenant) };
  const parsed = authInfoSchema.safeParse(await fetchJson(options, 'GET', `${base}/api/authinfo`));
  if (!parsed.success) throw new HaloResponseError('GET /api/authinfo', formatIssues(parsed.error));
  const authUrl = parsed.data.auth_url ?? `${base}/auth`;
  const tenant = options.tenant ?? parsed.data.tenant_id ?? parsed.data.tenant ?? undefined;
  return { url: tokenEndpointUrl(authUrl, tenant || undefined) };
}

/** Fetches client-credentials tokens; discovers the token endpoint once. */
export function createTokenFetcher(options: HaloAuthOptions): () => Promise<AccessToken> {
  let endpoint: Promise<TokenEndpoint> | undefined;
  return async () => {
    endpoint ??= discoverTokenEndpoint(options).catch((error) => {
      endpoint = undefined;
      throw error;
    });
    const { url } = await endpoint;
    options.onTokenRequest();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: options.scope,
    });
    const parsed = tokenResponseSchema.safeParse(await fetchJson(options, 'POST', url, form));
    if (!parsed.success) throw new HaloResponseError('POST token', formatIssues(parsed.error));
    return tokenFromResponse(parsed.data, options.now());
  };
}
