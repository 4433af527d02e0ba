import { currentFlow } from '../runtime/flow';
import type { Logger } from '../runtime/logger';
import { decideRetry, parseRetryAfterMs, type RetryPolicy } from './backoff';
import type { BudgetGate } from './budget/gate';
import type { UsageRecorder } from './budget/usage';
import type { HaloLane } from './budget/window';
import { extractHaloMessage, HaloApiError, HaloOutcomeUnknownError } from './errors';
import type { TokenCache } from './token';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface HaloStats {
  requests: number;
  retries: number;
  throttledWaits: number;
  tokenRequests: number;
  /** 429 answers Halo gave despite the client-side limiter. */
  rateLimited: number;
  /** Writes whose answer was lost (not re-sent; see createOnce). */
  outcomesUnknown: number;
  /** Records createOnce found in Halo after a lost answer (so not sent again). */
  recoveredByLookup: number;
  /** Records createOnce sent again because the look-up did not find them. */
  resentAfterLookup: number;
  /** Requests per `METHOD /Resource`. */
  byPath: Record<string, number>;
}

export interface TransportDeps {
  apiUrl: string;
  userAgent: string;
  retry: RetryPolicy;
  /** Every request takes one request's worth of the (shared) budget in its lane first. */
  budget: BudgetGate;
  lane: HaloLane;
  /** Counted for the console; default: the current function (runInFlow). */
  flow?: string;
  usage: UsageRecorder | undefined;
  tokens: TokenCache;
  secrets: () => readonly string[];
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  fetch: typeof fetch;
  stats: HaloStats;
  /** Abort a request that has not answered after this long (for a write: outcome unknown). */
  timeoutMs: number;
}

export interface HaloRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under /api, e.g. `/Tickets/12`. */
  path: string;
  query?: Query;
  body?: unknown;
  /**
   * Whether sending it twice does no harm. Default: GET and DELETE yes, POST no. A POST that only updates records by
   * id, or reads (a report), says so. A request that is not idempotent is never re-sent once it may have reached
   * Halo (a lost connection, a timeout, a 5xx): it fails with HaloOutcomeUnknownError instead.
   */
  idempotent?: boolean;
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

/** Connection errors that mean the request never left this machine, so even a write may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * One API call: rate-limited, authenticated, retried on 429/5xx/network errors with backoff (Retry-After wins),
 * and re-authenticated once on a 401. A write that is not idempotent is retried only when Halo refused it (429,
 * 401) or it never left (connection refused): after a lost answer it throws HaloOutcomeUnknownError.
 */
export async function send(deps: TransportDeps, request: HaloRequest): Promise<unknown> {
  const key = statsKey(request.method, request.path);
  const url = buildUrl(deps.apiUrl, request.path, request.query);
  const logPath = url.slice(deps.apiUrl.length);
  const idempotent = request.idempotent ?? request.method !== 'POST';
  let retries = 0;
  let reauthenticated = false;
  const flow = deps.flow ?? currentFlow() ?? 'other';
  // A 429 is waited out by the budget (everyone waits for the window), so 429s are retried until the window has
  // certainly passed twice, not for a fixed count: a retry budget shorter than the window fails in bursts.
  const rateLimitDeadline = deps.now() + 2 * deps.budget.rules.windowMs + 60_000;
  for (let attempt = 1; ; attempt++) {
    await deps.budget.acquire(deps.lane);
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
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = await readBody(response);
      if (response.ok) {
        // Every answered request counts against Halo's limit: the budget's history (the console's chart) has it too.
        deps.usage?.count(flow, deps.lane, false);
        return body;
      }
    } catch (error) {
      networkError = error;
    }

    if (status === 401 && !reauthenticated) {
      reauthenticated = true;
      deps.tokens.invalidate(token);
      deps.log.info('halo token refused, refreshing once', { path: logPath });
      continue;
    }
    deps.usage?.count(flow, deps.lane, status === 429);
    if (status === 429) {
      deps.stats.rateLimited++;
      await deps.budget.rateLimited(parseRetryAfterMs(retryAfter, deps.now()));
      if (deps.now() < rateLimitDeadline) {
        deps.stats.retries++;
        deps.log.warn('halo answered 429; every instance waits out the window, then this request is retried', {
          method: request.method,
          path: logPath,
          lane: deps.lane,
        });
        continue;
      }
    }
    const mayHaveHappened = status >= 500 || (status === 0 && !NOT_SENT_CODES.has(networkCode(networkError) ?? ''));
    if (!idempotent && mayHaveHappened) {
      deps.stats.outcomesUnknown++;
      const detail =
        status === 0
          ? isTimeout(networkError)
            ? `no answer within ${deps.timeoutMs} ms`
            : 'connection lost'
          : `HTTP ${status}`;
      throw new HaloOutcomeUnknownError({
        status,
        method: request.method,
        path: logPath,
        haloMessage:
          status === 0 ? ((networkError as Error | undefined)?.message ?? 'network error') : extractHaloMessage(body),
        attempts: attempt,
        secrets: deps.secrets(),
        detail,
      });
    }
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
