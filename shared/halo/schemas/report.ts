import { z } from 'zod';

/** A report row: column name → value, as the SQL selected them. */
export const reportRowSchema = z.record(z.string(), z.unknown());

export const reportContentSchema = z.looseObject({
  loaded: z.boolean().nullish(),
  load_error: z.string().nullish(),
  rows: z.array(reportRowSchema).nullish(),
});

export const reportResponseSchema = z.looseObject({
  id: z.number().nullish(),
  report: reportContentSchema.nullish(),
});

export type HaloReportRow = z.infer<typeof reportRowSchema>;
