import type { z } from 'zod';
import { formatIssues } from '../../config/zodIssues';

export type BodyResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** An HTTP body: empty means `{}`; otherwise JSON validated by `schema`, each problem named by its JSON path. */
export function parseJsonBody<S extends z.ZodType>(text: string, schema: S): BodyResult<z.output<S>> {
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, problems: [`$: the body is not JSON (${(error as Error).message})`] };
    }
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: formatIssues(parsed.error, '$') };
}
