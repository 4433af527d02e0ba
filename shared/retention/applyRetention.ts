import type { Container } from '../app/container';
import { FINISHED_JOB_STATUSES } from '../automation/jobStatus';
import type { PurgeOutcome } from '../storage';

const DAY_MS = 86_400_000;

export interface RetentionOutcome {
  /** One entry per table, in the order purged: counts only, never row contents. */
  readonly tables: readonly PurgeOutcome[];
  readonly deleted: number;
  /** Some table had more expired rows than one run deletes (the next run continues). */
  readonly more: boolean;
}

/**
 * Applies the retention policy (config `retention`) at `deps.now()`: deletes, per history table, at most
 * `maxDeletesPerTable` rows older than that table's window. Tables are purged one after the other, so a failure
 * in one leaves the others' deletions done; the next run picks up whatever is left.
 */
export async function applyRetention(
  deps: Pick<Container, 'config' | 'now'> & { readonly stores: Pick<Container['stores'], 'retention'> },
): Promise<RetentionOutcome> {
  const policy = deps.config.retention;
  const now = deps.now().getTime();
  const before = (days: number) => new Date(now - days * DAY_MS);
  const limit = policy.maxDeletesPerTable;
  const store = deps.stores.retention;
  const tables = [
    await store.purgeDedupe(before(policy.dedupeDays), limit),
    await store.purgeRuns(before(policy.runsDays), limit),
    await store.purgeJobs(before(policy.jobsDays), FINISHED_JOB_STATUSES, limit),
    await store.purgeMailLog(before(policy.mailLogDays), limit),
    await store.purgeQueueFailures(before(policy.queueFailuresDays), limit),
    await store.purgeHaloUsage(before(policy.haloUsageDays), limit),
  ];
  return {
    tables,
    deleted: tables.reduce((sum, t) => sum + t.deleted, 0),
    more: tables.some((t) => t.more),
  };
}
