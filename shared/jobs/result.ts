import { z } from 'zod';

export const resultStatusSchema = z.enum(['succeeded', 'failed', 'timedOut', 'interrupted', 'rejected']);

/**
 * Why a job was rejected (status `rejected`) or interrupted. `reason` is a short code; `detail` says more for the
 * ticket note. The codes come from job verification and the worker's own checks.
 */
export const resultSchema = z
  .object({
    v: z.literal(1),
    jobId: z.string().min(1).max(200),
    workerId: z.string().min(1).max(128),
    status: resultStatusSchema,
    /** null when the script never ran or was killed. */
    exitCode: z.number().int().nullable(),
    /** Tail of the output, capped and with secrets masked by the worker. */
    stdout: z.string(),
    stderr: z.string(),
    startedAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }),
    reason: z.string().max(2000).optional(),
  })
  .strict();

export const signedResultSchema = z
  .object({
    result: z.record(z.string(), z.unknown()),
    signature: z.string().min(1),
    keyId: z.string().min(1).max(64),
  })
  .strict();

export type JobResult = z.infer<typeof resultSchema>;
export type ResultStatus = z.infer<typeof resultStatusSchema>;
export interface SignedResult {
  readonly result: JobResult;
  readonly signature: string;
  readonly keyId: string;
}
