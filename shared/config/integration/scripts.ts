import { Cron } from 'croner';
import { z } from 'zod';
import { haloId, ncrontab, nonEmpty, workerGroup } from './common';

/** A name PowerShell can bind as a parameter or variable; it is never spliced into a command line. */
const parameterName = nonEmpty.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
  message: 'must be a parameter name: a letter or underscore, then letters, digits or underscores (max 64)',
});
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** The three ways the worker hands parameters to a script (see shared/automation/haloScriptQueue.ts). */
export const passingMethodSchema = z.enum(['namedParameters', 'scriptVariables', 'base64Json']);

/**
 * Where a script parameter's value comes from: a path into the ticket data read from Halo
 * (`ticket.summary`, `user.emailaddress`, `client.name`, `site.name`, `ticket.customfields.CFName[.display]`),
 * or a fixed value. An optional mapping whose value is missing is left out instead of failing the run.
 */
export const parameterMappingSchema = z.union([
  z.object({ name: parameterName, from: nonEmpty, optional: z.boolean().default(false) }).strict(),
  z.object({ name: parameterName, value: scalar }).strict(),
]);

export const scriptConfigSchema = z
  .object({
    name: nonEmpty,
    /** Path relative to the worker's script folder. The worker refuses anything outside that folder. */
    path: nonEmpty,
    workerGroup: workerGroup.default('default'),
    passing: passingMethodSchema.default('namedParameters'),
    parameters: z.array(parameterMappingSchema).default([]),
    /** Parameters whose values are secret: the worker masks them in output, the cloud never writes them to notes. */
    secretParameters: z.array(parameterName).default([]),
    /**
     * Output that means success. Empty text: success is exit code 0. Otherwise Halo's rule: the trimmed output
     * equals the text (or contains it when partialMatch), whatever the exit code.
     */
    success: z.object({ text: z.string().default(''), partialMatch: z.boolean().default(true) }).prefault({}),
    successStatusId: haloId.optional(),
    failureStatusId: haloId.optional(),
    /** Outcome of the private action that records a failure; without one the caller's default note outcome. */
    failureOutcomeId: haloId.optional(),
    failureMessage: nonEmpty.optional(),
    timeoutSeconds: z.number().int().positive().max(3600).default(300),
    /** Safe to run twice: an interrupted run may be retried with the same job id. */
    idempotent: z.boolean().default(false),
  })
  .strict();

export const triggersConfigSchema = z
  .object({
    /** Ticket actions (outcomes) that run a script; matched by outcome id, else by outcome name (case-insensitive). */
    actions: z
      .array(
        z
          .object({ outcomeId: haloId.optional(), outcome: nonEmpty.optional(), script: nonEmpty })
          .strict()
          .refine((t) => t.outcomeId !== undefined || t.outcome !== undefined, {
            message: 'needs outcomeId or outcome',
          }),
      )
      .default([]),
    /** Approval steps that run a script once approved; without stepId any approved step of the process. */
    approvals: z
      .array(z.object({ approvalProcessId: haloId, stepId: haloId.optional(), script: nonEmpty }).strict())
      .default([]),
  })
  .prefault({});

export const scheduleConfigSchema = z
  .object({
    name: nonEmpty,
    cron: ncrontab.superRefine((expression, ctx) => {
      try {
        new Cron(expression, { paused: true, mode: '6-part' });
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not a valid NCRONTAB expression: ${(error as Error).message}` });
      }
    }),
    /** IANA time zone the expression is read in (Azure Functions timers use UTC unless WEBSITE_TIME_ZONE is set). */
    timeZone: nonEmpty.default('UTC'),
    script: nonEmpty,
    parameters: z.record(parameterName, scalar).default({}),
    ticketId: haloId.optional(),
  })
  .strict();

export const haloScriptQueueConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    pollSchedule: ncrontab.default('0 * * * * *'),
    workerGroup: workerGroup.default('default'),
    /**
     * PowerShellScript.method (an integer) → how parameters are passed. Halo's enum is UNCONFIRMED; this default
     * is our assumption (0 named parameters, 1 script variables, 2 base64 JSON). An unmapped value is refused.
     */
    methodMap: z
      .record(z.string().regex(/^\d+$/, { message: 'keys must be method numbers' }), passingMethodSchema)
      .default({ '0': 'namedParameters', '1': 'scriptVariables', '2': 'base64Json' }),
    /**
     * Absolute folders Halo's `location` may start with (e.g. `C:\\Scripts\\`); the rest becomes the path in the
     * worker's script folder. An absolute location under none of them is reduced to its file name.
     */
    locationPrefixes: z.array(nonEmpty).default([]),
    timeoutSeconds: z.number().int().positive().max(3600).default(300),
    /** Execution parameters whose values are secret (masked by the worker, never written to notes). */
    secretParameters: z.array(parameterName).default([]),
    /**
     * Whether the bridge itself sets the ticket status and adds the failure action for queue runs, as the Halo
     * Integrator is inferred to do. Turn off if Halo applies resultstatus/resultfailedstatus on its own.
     */
    applyTicketChanges: z.boolean().default(true),
  })
  .prefault({});

export type ParameterMapping = z.infer<typeof parameterMappingSchema>;
export type PassingMethod = z.infer<typeof passingMethodSchema>;
export type ScriptConfig = z.infer<typeof scriptConfigSchema>;
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;
export type TriggersConfig = z.infer<typeof triggersConfigSchema>;
export type HaloScriptQueueConfig = z.infer<typeof haloScriptQueueConfigSchema>;
