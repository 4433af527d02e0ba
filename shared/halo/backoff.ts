export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * Capped exponential backoff with full jitter: a uniform delay in [0, min(max, base * 2^retry)].
 * Full jitter keeps many instances that were throttled together from retrying together.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number; reason: string };

/**
 * Whether to retry after an attempt, and how long to wait. Retries 429, 5xx and network errors (status 0); never
 * other 4xx. Retry-After, when present, wins over the backoff, capped at the policy's maximum delay.
 */
export function decideRetry(input: {
  status: number;
  retriesSoFar: number;
  retryAfterMs: number | undefined;
  policy: RetryPolicy;
  random?: () => number;
}): RetryDecision {
  const { status, retriesSoFar, policy } = input;
  const retryable = status === 0 || status === 429 || status >= 500;
  if (!retryable || retriesSoFar >= policy.maxRetries) return { retry: false };
  const reason = status === 0 ? 'network error' : `HTTP ${status}`;
  if (input.retryAfterMs !== undefined) {
    return { retry: true, delayMs: Math.min(input.retryAfterMs, policy.maxDelayMs), reason };
  }
  return { retry: true, delayMs: backoffDelayMs(retriesSoFar, policy, input.random), reason };
}
