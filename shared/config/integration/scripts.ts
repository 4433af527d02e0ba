import { z } from 'zod';
import { haloId, ncrontab, nonEmpty, workerGroup } from './common';

/** Where a script parameter's value comes from: a path into the ticket data Halo returns, or a fixed value. */
export const parameterMappingSchema = z.union([
  z.object({ name: nonEmpty, from: nonEmpty }).strict(),
  z.object({ name: nonEmpty, value: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
]);

export const scriptConfigSchema = z
  .object({
    name: nonEmpty,
    /** Path relative to the worker's script folder. The worker refuses anything outside that folder. */
    path: nonEmpty,
    workerGroup: workerGroup.default('default'),
    passing: z.enum(['namedParameters', 'scriptVariables', 'base64Json']).default('namedParameters'),
    parameters: z.array(parameterMappingSchema).default([]),
    success: z.object({ text: z.string().default(''), partialMatch: z.boolean().default(true) }).prefault({}),
    successStatusId: haloId.optional(),
    failureStatusId: haloId.optional(),
    failureOutcomeId: haloId.optional(),
    timeoutSeconds: z.number().int().positive().max(3600).default(300),
    idempotent: z.boolean().default(false),
  })
  .strict();

export const triggersConfigSchema = z
  .object({
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
    approvals: z
      .array(z.object({ approvalProcessId: haloId, stepId: haloId.optional(), script: nonEmpty }).strict())
      .default([]),
  })
  .prefault({});

export const scheduleConfigSchema = z
  .object({
    name: nonEmpty,
    cron: ncrontab,
    script: nonEmpty,
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    ticketId: haloId.optional(),
  })
  .strict();

export const haloScriptQueueConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    pollSchedule: ncrontab.default('0 * * * * *'),
    workerGroup: workerGroup.default('default'),
  })
  .prefault({});

export type ScriptConfig = z.infer<typeof scriptConfigSchema>;
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;
