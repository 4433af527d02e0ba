import { z } from 'zod';

/** Longest retention any table accepts (10 years): beyond that a number is a typo, not a policy. */
const MAX_DAYS = 3650;

const days = (minimum: number, fallback: number) =>
  z
    .number()
    .int({ message: 'must be a whole number of days' })
    .min(minimum, { message: `must be at least ${minimum} day${minimum === 1 ? '' : 's'}` })
    .max(MAX_DAYS, { message: `must be at most ${MAX_DAYS} days` })
    .default(fallback);

/**
 * How long the state tables keep rows (Azure Tables has no TTL; the daily stateRetention timer deletes what is
 * older). Checkpoints, subscriptions, workers, queued or running jobs and claims never completed are never deleted.
 */
export const retentionConfigSchema = z
  .object({
    /** Flow and sync runs (with their per-tenant rows), by finishedAt (startedAt for a run that never finished). */
    runsDays: days(1, 90),
    /** The incoming-mail log, by processedAt. */
    mailLogDays: days(1, 90),
    /** Finished jobs (succeeded, failed, timed out, interrupted, rejected, expired), by updatedAt. */
    jobsDays: days(1, 90),
    /** Poison-message records, by failedAt. */
    queueFailuresDays: days(1, 90),
    /** Halo requests per minute by flow (the console's chart), by minute. */
    haloUsageDays: days(1, 7),
    /**
     * Completed idempotency keys (mail, webhook deliveries, jobs, sync write batches), by completedAt. A key must
     * outlive every retry and redelivery window (queue retries, Halo webhook re-sends, job expiry), hence 7 days
     * at least.
     */
    dedupeDays: days(7, 30),
    /** At most this many rows deleted per table and run, so one run stays short; the rest go on the next run. */
    maxDeletesPerTable: z.number().int().min(100).max(100_000).default(5_000),
  })
  .strict();

export type RetentionConfig = z.output<typeof retentionConfigSchema>;
