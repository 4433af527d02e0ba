import { z } from 'zod';

/**
 * A worker's notice about a job that is not its result: today only `started` (the job was verified and its script
 * is about to run). It travels on `job-results` next to results, in its own envelope (`notice`, not `result`) and
 * under its own signature purpose, so it can never be read as a result or a job, nor they as a notice.
 */
export const startedNoticeSchema = z
  .object({
    v: z.literal(1),
    kind: z.literal('started'),
    jobId: z.string().min(1).max(200),
    workerId: z.string().min(1).max(128),
    startedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const signedNoticeSchema = z
  .object({
    notice: z.record(z.string(), z.unknown()),
    signature: z.string().min(1),
    keyId: z.string().min(1).max(64),
  })
  .strict();

export type StartedNotice = z.infer<typeof startedNoticeSchema>;
export interface SignedNotice {
  readonly notice: StartedNotice;
  readonly signature: string;
  readonly keyId: string;
}

/** True for a message in the notice envelope (it may still be malformed): the consumer's dispatch test. */
export function isNoticeMessage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'notice');
}
