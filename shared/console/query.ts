import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';

/**
 * Parses console query parameters (HTTP query strings and CLI flags alike) with a schema; a rejection names each
 * parameter and what is wrong with it.
 */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  params: Record<string, string | undefined>,
): { ok: true; value: z.output<S> } | { ok: false; problems: string[] } {
  const present = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: formatIssues(parsed.error) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day (`2025-03-01`, the whole day in UTC) or an ISO 8601 time; `end` picks the last millisecond of a day. */
export const dayOrTime = (end: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time' })
    .transform((v) => (DAY.test(v) && end ? new Date(Date.parse(v) + 86_399_999) : new Date(v)));

export const pageLimit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
