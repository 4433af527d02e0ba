import { z } from 'zod';

export interface AccessToken {
  readonly value: string;
  /** Epoch milliseconds after which the token must not be used. */
  readonly expiresAt: number;
}

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** Assumed lifetime when Halo omits expires_in (UNCONFIRMED: mocks use 3600 s). */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;
/** Refresh this long before expiry, or at half the lifetime for very short-lived tokens. */
const REFRESH_MARGIN_MS = 60_000;

export function tokenFromResponse(body: z.infer<typeof tokenResponseSchema>, nowMs: number): AccessToken {
  const lifetimeMs = (body.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000;
  const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
  return { value: body.access_token, expiresAt: nowMs + lifetimeMs - margin };
}

export interface TokenCache {
  /** A valid token: the cached one, or a fresh one. Concurrent callers share one refresh. */
  get(): Promise<string>;
  /** Forget `token` (after a 401), unless a newer one has already replaced it. */
  invalidate(token: string): void;
  /** Every token value seen, for masking. */
  readonly known: () => readonly string[];
}

export function createTokenCache(fetchToken: () => Promise<AccessToken>, now: () => number): TokenCache {
  let current: AccessToken | undefined;
  let inflight: Promise<string> | undefined;
  const seen: string[] = [];
  return {
    get() {
      if (current && now() < current.expiresAt) return Promise.resolve(current.value);
      if (!inflight) {
        inflight = fetchToken()
          .then((token) => {
            current = token;
            seen.push(token.value);
            if (seen.length > 5) seen.shift();
            return token.value;
          })
          .finally(() => {
            inflight = undefined;
          });
      }
      return inflight;
    },
    invalidate(token) {
      if (current?.value === token) current = undefined;
    },
    known: () => seen,
  };
}
