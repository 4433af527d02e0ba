/** One minute of Halo requests by one flow (the console's HaloBudgetMinute). */
export interface BudgetMinute {
  /** The minute's start, ISO 8601 (UTC). */
  readonly minute: string;
  readonly flow: string;
  readonly requests: number;
  /** 429 answers. */
  readonly throttled: number;
}

/**
 * The read API of the budget's history, as the console charts it (shared/console/views/budget.ts): the budget
 * (our share of Halo's limit per window) and the requests per minute by flow, every instance summed.
 */
export interface BudgetHistory {
  readonly limit: { readonly requests: number; readonly windowSeconds: number };
  minutes(since: Date, until: Date): Promise<readonly BudgetMinute[]>;
}

/** `halousage` rows as read by shared/storage's HaloUsageStore. */
export interface UsageReader {
  read(range: {
    from: Date;
    to: Date;
  }): Promise<readonly { minute: string; flow: string; requests: number; rateLimited: number }[]>;
}

export function budgetHistory(reader: UsageReader, limit: BudgetHistory['limit']): BudgetHistory {
  return {
    limit,
    async minutes(since, until) {
      const points = await reader.read({ from: since, to: until });
      return points.map((p) => ({
        minute: `${p.minute}:00.000Z`,
        flow: p.flow,
        requests: p.requests,
        throttled: p.rateLimited,
      }));
    },
  };
}
