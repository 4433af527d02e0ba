import type { BudgetHistory as HaloBudgetHistory, BudgetMinute as HaloBudgetMinute } from '../../halo/budget/history';

/** The shared Halo budget's history, as shared/halo/budget/history.ts records and reads it. */
export type { HaloBudgetHistory, HaloBudgetMinute };

export interface BudgetBucket {
  /** Start of the bucket (ISO 8601). */
  readonly start: string;
  readonly byFlow: Readonly<Record<string, number>>;
  readonly total: number;
  readonly throttled: number;
}

export interface BudgetView {
  readonly available: boolean;
  /** Why there is nothing to show, when not available. */
  readonly reason?: string;
  readonly since: string;
  readonly until: string;
  /** Requests allowed per bucket (the budget's window is the bucket). */
  readonly limitPerBucket: number;
  readonly bucketMinutes: number;
  readonly flows: readonly string[];
  readonly buckets: readonly BudgetBucket[];
  readonly totals: {
    readonly requests: number;
    readonly throttled: number;
    /** The busiest bucket's share of the budget, 0..1+. */
    readonly peakShare: number;
  };
}

const HOURS = 24;

/**
 * The Halo budget page and `cli status`: requests per budget window by flow over the last 24 hours against the
 * budget, and the 429s. Each bucket is one budget window (5 minutes on hosted Halo), so a bar over the line is a
 * window where Halo's limit was reached.
 */
export async function budgetView(history: HaloBudgetHistory | undefined, now: Date): Promise<BudgetView> {
  const until = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  const since = new Date(until.getTime() - HOURS * 3_600_000);
  const bucketMinutes = Math.max(1, Math.round((history?.limit.windowSeconds ?? 300) / 60));
  const empty = {
    since: since.toISOString(),
    until: until.toISOString(),
    limitPerBucket: history?.limit.requests ?? 0,
    bucketMinutes,
    flows: [],
    buckets: [],
    totals: { requests: 0, throttled: 0, peakShare: 0 },
  };
  if (!history) {
    return {
      available: false,
      reason: 'this deployment records no Halo budget history (the shared Halo budget is not enabled)',
      ...empty,
    };
  }
  return {
    available: true,
    ...summarise(await history.minutes(since, until), since, until, history.limit, bucketMinutes),
  };
}

/** Pure: minutes → buckets of one budget window, every bucket present (empty ones as zero). */
export function summarise(
  minutes: readonly HaloBudgetMinute[],
  since: Date,
  until: Date,
  limit: HaloBudgetHistory['limit'],
  bucketMinutes: number,
): Omit<BudgetView, 'available' | 'reason'> {
  const bucketMs = bucketMinutes * 60_000;
  const count = Math.ceil((until.getTime() - since.getTime()) / bucketMs);
  const buckets = Array.from({ length: count }, (_, i) => ({
    start: new Date(since.getTime() + i * bucketMs).toISOString(),
    byFlow: {} as Record<string, number>,
    total: 0,
    throttled: 0,
  }));
  const flows = new Set<string>();
  for (const row of minutes) {
    const at = Date.parse(row.minute);
    if (Number.isNaN(at) || at < since.getTime() || at >= until.getTime()) continue;
    const bucket = buckets[Math.floor((at - since.getTime()) / bucketMs)]!;
    flows.add(row.flow);
    bucket.byFlow[row.flow] = (bucket.byFlow[row.flow] ?? 0) + row.requests;
    bucket.total += row.requests;
    bucket.throttled += row.throttled;
  }
  const limitPerBucket = limit.requests * (bucketMs / (limit.windowSeconds * 1000));
  const requests = buckets.reduce((n, b) => n + b.total, 0);
  const peak = buckets.reduce((n, b) => Math.max(n, b.total), 0);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    limitPerBucket,
    bucketMinutes,
    flows: [...flows].sort(),
    buckets,
    totals: {
      requests,
      throttled: buckets.reduce((n, b) => n + b.throttled, 0),
      peakShare: limitPerBucket > 0 ? peak / limitPerBucket : 0,
    },
  };
}
