export interface RollingWindowLimiter {
  /** Resolves when one more request fits in the window, and counts it. */
  acquire(): Promise<void>;
  /** How many times a caller had to wait. */
  readonly waits: number;
}

/**
 * A client-side rolling window: at most `requests` sends in any `windowMs` (e.g. Intune's 2,000 per 20 s per tenant
 * and app). Callers beyond it sleep until the oldest send leaves the window instead of provoking a 429. Callers are
 * served in order, one check at a time.
 */
export function createRollingWindowLimiter(
  limit: { readonly requests: number; readonly windowMs: number },
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): RollingWindowLimiter {
  const sent: number[] = [];
  let tail: Promise<void> = Promise.resolve();
  let waits = 0;

  const admit = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      while (sent.length > 0 && sent[0]! <= now - limit.windowMs) sent.shift();
      if (sent.length < limit.requests) {
        sent.push(now);
        return;
      }
      waits++;
      await clock.sleep(Math.max(1, sent[0]! + limit.windowMs - now));
    }
  };

  return {
    acquire() {
      const turn = tail.then(admit);
      tail = turn.catch(() => {});
      return turn;
    },
    get waits() {
      return waits;
    },
  };
}
