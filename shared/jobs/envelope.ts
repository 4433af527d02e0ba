import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });
const workerGroup = z.string().regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){0,56}[a-z0-9]$/, {
  message: 'must be 2-58 lowercase letters, digits or single dashes (it becomes the queue name jobs-<group>)',
});
/** Printable ids only: they end up in file names (hashed), logs and Halo notes. */
const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, {
  message: 'must be 1-128 letters, digits or . _ : @ - (starting with a letter or digit)',
});

/**
 * Parameter names become PowerShell parameter/variable names and HALO_PARAM_<NAME> environment variables, so they
 * are identifiers. PowerShell and Windows environment variables ignore case, so names must differ by more than case.
 */
export const parameterName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
  message: 'must be an identifier: a letter or _ then up to 63 letters, digits or _',
});
export const parameterValue = z.union([
  z.string().refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL characters' }),
  z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
  z.boolean(),
  z.null(),
]);
/** Parameters travel in environment variables (each at most 32,767 characters on Windows). */
export const MAX_PARAMETERS_JSON_LENGTH = 24_000;

export const jobSourceSchema = z
  .object({
    kind: z.enum(['haloAction', 'haloApproval', 'haloScriptQueue', 'schedule', 'manual']),
    /** What caused it, e.g. the Halo action id, approval step, PowerShellScriptProcessing id or schedule name. */
    ref: z.string().min(1).max(200),
  })
  .strict();

export const passingMethodSchema = z.enum(['namedParameters', 'scriptVariables', 'base64Json']);

export const jobSchema = z
  .object({
    v: z.literal(1),
    jobId,
    /** Relative to the worker's script folder; the worker refuses anything that resolves outside it. */
    script: z.string().min(1).max(260),
    parameters: z.record(parameterName, parameterValue),
    /** Names of parameters whose values the worker masks in the output it reports. */
    secretParameters: z.array(parameterName).optional(),
    passing: passingMethodSchema,
    ticketId: z.number().int().positive().optional(),
    source: jobSourceSchema,
    /** Whether running it twice is harmless: only then does a worker re-run it after a crash mid-run. */
    idempotent: z.boolean(),
    notBefore: isoTime,
    expiresAt: isoTime,
    timeoutSeconds: z.number().int().positive().max(86_400),
    workerGroup,
  })
  .strict()
  .superRefine((job, ctx) => {
    const seen = new Map<string, string>();
    for (const name of Object.keys(job.parameters)) {
      const folded = name.toLowerCase();
      const other = seen.get(folded);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['parameters', name],
          message: `differs from parameter "${other}" only by case`,
        });
      }
      seen.set(folded, name);
    }
    for (const [index, name] of (job.secretParameters ?? []).entries()) {
      if (!(name in job.parameters)) {
        ctx.addIssue({ code: 'custom', path: ['secretParameters', index], message: `names no parameter ("${name}")` });
      }
    }
    if (JSON.stringify(job.parameters).length > MAX_PARAMETERS_JSON_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['parameters'],
        message: `are too large (over ${MAX_PARAMETERS_JSON_LENGTH} characters of JSON)`,
      });
    }
    if (Date.parse(job.expiresAt) <= Date.parse(job.notBefore)) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after notBefore' });
    }
  });

/** What travels on `jobs-<group>`: the job, an Ed25519 signature over its canonical JSON, and the signer's key id. */
export const signedJobSchema = z
  .object({
    job: z.record(z.string(), z.unknown()),
    signature: z.string().min(1),
    keyId: z.string().min(1).max(64),
  })
  .strict();

export type Job = z.infer<typeof jobSchema>;
export type JobSource = z.infer<typeof jobSourceSchema>;
export type PassingMethod = z.infer<typeof passingMethodSchema>;
export type ParameterValue = z.infer<typeof parameterValue>;
export interface SignedJob {
  readonly job: Job;
  readonly signature: string;
  readonly keyId: string;
}
