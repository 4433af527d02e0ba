import type { TokenCredential } from '@azure/identity';
import { GraphAccessError, type GraphCallContext, tokenEndpointFailureError } from './errors';
import type { TokenEndpointFailure, TokenEndpointWatch } from './tokenEndpointWatch';

const REFRESH_MARGIN_MS = 2 * 60_000;
/** How long MSAL blocks a tenant after a 429/5xx without Retry-After (msal-common DEFAULT_THROTTLE_TIME_SECONDS). */
export const MSAL_DEFAULT_BLOCK_SECONDS = 60;
/** The longest wait a Retry-After may ask for that is honoured (MSAL's DEFAULT_MAX_THROTTLE_TIME_SECONDS). */
const MAX_BLOCK_SECONDS = 3600;
/** After a 5xx without Retry-After. */
const OUTAGE_PAUSE_SECONDS = 2;
/** Token requests per get() when the endpoint keeps throttling or failing. */
const MAX_ATTEMPTS = 4;

export interface TokenCacheOptions {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Sees what the token endpoint answered (the credential's pipeline policy). */
  readonly watch?: TokenEndpointWatch;
  /** Wait out a throttled token endpoint's block when it ends within this many ms; longer blocks are thrown. */
  readonly maxThrottleWaitMs?: number;
  /** For the messages: which tenant, which app. */
  readonly context?: GraphCallContext;
}

/**
 * One tenant's access token: fetched once, reused until shortly before it expires, and shared by concurrent
 * callers (one token request however many requests are waiting).
 *
 * When Entra throttles (or fails) the token endpoint, Entra's Retry-After is honoured (60 s without one, MSAL's
 * default), then the token is asked for again with a fresh credential: MSAL keeps its own block in the credential's
 * cache, 60 s whatever Retry-After said (msal-node 5.6 reads the header case-sensitively, @azure/identity hands it
 * over lowercased), and would refuse the retry unsent. A wait longer than `maxThrottleWaitMs` is not waited: the
 * error says when it ends, and nothing is sent for the tenant before then.
 */
export class TenantTokenCache {
  private token: { value: string; expiresOn: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private requests = 0;
  private blocked: { until: number; failure: TokenEndpointFailure } | undefined;
  private credential: TokenCredential;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly newCredential: () => TokenCredential,
    private readonly scope: string,
    private readonly options: TokenCacheOptions = {},
  ) {
    this.credential = newCredential();
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** How many times a token was requested from the credential. */
  get tokenRequests(): number {
    return this.requests;
  }

  async get(): Promise<string> {
    if (this.token && this.token.expiresOn - REFRESH_MARGIN_MS > this.now()) return this.token.value;
    this.inFlight ??= this.fetchPastBlocks().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchPastBlocks(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      if (this.blocked && this.blocked.until > this.now()) {
        const wait = this.blocked.until - this.now();
        if (attempt >= MAX_ATTEMPTS || wait > (this.options.maxThrottleWaitMs ?? 0)) {
          throw this.blockedError(this.blocked);
        }
        await this.sleep(wait + 250);
      }
      if (this.blocked) {
        // MSAL's own block outlives Entra's Retry-After: a fresh credential has none.
        this.credential = this.newCredential();
        this.blocked = undefined;
      }
      try {
        return await this.fetch();
      } catch (error) {
        if (!this.blocked) throw error;
      }
    }
  }

  private async fetch(): Promise<string> {
    this.requests += 1;
    const started = this.now();
    let token: Awaited<ReturnType<TokenCredential['getToken']>>;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (error) {
      throw this.explain(error, started);
    }
    if (!token) throw new Error('the credential returned no access token');
    this.token = { value: token.token, expiresOn: token.expiresOnTimestamp };
    return token.token;
  }

  /** What the endpoint really said, when the credential's own error does not say it. */
  private explain(error: unknown, started: number): unknown {
    const failure = this.options.watch?.failureSince(started);
    if (!failure) return error;
    if (failure.status === 429 || failure.status >= 500) {
      // Without Retry-After: MSAL's own 60 s for throttling, a short pause for an outage.
      const fallback = failure.status === 429 ? MSAL_DEFAULT_BLOCK_SECONDS : OUTAGE_PAUSE_SECONDS;
      const seconds = Math.min(failure.retryAfterSeconds ?? fallback, MAX_BLOCK_SECONDS);
      this.blocked = { until: failure.at + seconds * 1000, failure };
      return this.blockedError(this.blocked);
    }
    if (error instanceof GraphAccessError || hasEntraBody(error)) return error;
    return tokenEndpointFailureError(failure, this.context());
  }

  private blockedError(blocked: { until: number; failure: TokenEndpointFailure }): GraphAccessError {
    return tokenEndpointFailureError(blocked.failure, this.context(), new Date(blocked.until));
  }

  private context(): GraphCallContext {
    return this.options.context ?? { tenantId: 'unknown' };
  }
}

/** @azure/identity's AuthenticationError carries Entra's answer itself; errors.ts explains those. */
function hasEntraBody(error: unknown): boolean {
  return typeof (error as { errorResponse?: { error?: unknown } } | null)?.errorResponse?.error === 'string';
}
