import { z } from 'zod';
import type { Container } from '../../app/container';
import { scriptConfigSchema } from '../../config/integration/scripts';
import { jobSourceSchema } from '../../jobs/envelope';
import { DEDUPE } from './scopes';

/**
 * What the result handler needs to judge a job, kept with the job's dedupe claim when it is queued: the script's
 * success rule and statuses as they were then (a Halo queue script's come from Halo, not from config). Never
 * parameter values, so nothing secret is stored.
 */
export const jobSnapshotSchema = z.object({
  script: scriptConfigSchema,
  source: jobSourceSchema,
  ticketId: z.number().int().positive().optional(),
  expiresAt: z.string(),
  /** False for Halo queue jobs when haloScriptQueue.applyTicketChanges is off. */
  applyTicketChanges: z.boolean(),
});
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

export async function readJobSnapshot(
  deps: Pick<Container, 'stores'>,
  jobId: string,
): Promise<JobSnapshot | undefined> {
  const record = await deps.stores.dedupe.get(DEDUPE.job, jobId);
  const parsed = jobSnapshotSchema.safeParse(record?.data);
  return parsed.success ? parsed.data : undefined;
}

/** The job record's `source` column: `<kind>:<ref>`, e.g. `haloScriptQueue:17`. */
export function sourceLabel(source: JobSnapshot['source']): string {
  return `${source.kind}:${source.ref}`;
}
