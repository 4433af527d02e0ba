export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

/** Hosted Halo: 300 requests per rolling 5 minutes (halo-api.md §3). */
export const HALO_DEFAULT_RATE_LIMIT: RateLimit = { requests: 300, windowMs: 300_000 };
