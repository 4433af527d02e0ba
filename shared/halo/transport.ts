import type { Logger } from '../runtime/logger';
import { decideRetry, parseRetryAfterMs, type RetryPolicy } from './backoff';
import { extractHaloMessage, HaloApiError } from './errors';
import type { RollingWindowLimiter } from './rateLimiter';
import type { TokenCache } from './token';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface HaloStats {
  requests: number;
  retries: number;
  throttledWaits: number;
  tokenRequests: number;
  /** 429 answers Halo gave despite the client-side limiter. */
  rateLimited: number;
  /** Requests per `METHOD /Resource`. */
  byPath: Record<string, number>;
}

export interface TransportDeps {
  apiUrl: string;
  userAgent: string;
  retry: RetryPolicy;
  limiter: RollingWindowLimiter;
  tokens: TokenCache;
  secrets: () => readonly string[];
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  fetch: typeof fetch;
  stats: HaloStats;
}

export interface HaloRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under /api, e.g. `/Tickets/12`. */
  path: string;
  query?: Query;
  body?: unknown;
}

export function buildUrl(base: string, path: string, query?: Query): string {
  const url = new URL(base + (path.startsWith('/') ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** `GET /Tickets/12` → `GET /Tickets`: the stats key. */
export function statsKey(method: string, path: string): string {
  const first = path.replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
  return `${method} /${first}`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One API call: rate-limited, authenticated, retried on 429/5xx/network errors with backoff (Retry-After wins),
 * and re-authenticated once on a 401.
 */
export async function send(deps: TransportDeps, request: HaloRequest): Promise<unknown> {
  const key = statsKey(request.method, request.path);
  const url = buildUrl(deps.apiUrl, request.path, request.query);
  const logPath = url.slice(deps.apiUrl.length);
  let retries = 0;
  let reauthenticated = false;
  for (let attempt = 1; ; attempt++) {
    await deps.limiter.acquire();
    const token = await deps.tokens.get();
    deps.stats.requests++;
    deps.stats.byPath[key] = (deps.stats.byPath[key] ?? 0) + 1;
    let status = 0;
    let body: unknown;
    let retryAfter: string | null = null;
    let networkError: unknown;
    try {
      const response = await deps.fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'user-agent': deps.userAgent,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = await readBody(response);
      if (response.ok) return body;
    } catch (error) {
      networkError = error;
    }

    if (status === 401 && !reauthenticated) {
      reauthenticated = true;
      deps.tokens.invalidate(token);
      deps.log.info('halo token refused, refreshing once', { path: logPath });
      continue;
    }
    if (status === 429) deps.stats.rateLimited++;
    const decision = decideRetry({
      status,
      retriesSoFar: retries,
      retryAfterMs: parseRetryAfterMs(retryAfter, deps.now()),
      policy: deps.retry,
      random: deps.random,
    });
    if (!decision.retry) {
      const haloMessage =
        status === 0 ? ((networkError as Error | undefined)?.message ?? 'network error') : extractHaloMessage(body);
      throw new HaloApiError({
        status,
        method: request.method,
        path: logPath,
        haloMessage,
        attempts: attempt,
        secrets: deps.secrets(),
      });
    }
    retries++;
    deps.stats.retries++;
    deps.log.warn('halo request will be retried', {
      method: request.method,
      path: logPath,
      reason: decision.reason,
      retry: retries,
      delayMs: decision.delayMs,
    });
    await deps.sleep(decision.delayMs);
  }
}
