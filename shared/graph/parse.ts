import type { z } from 'zod';
import { formatPath } from '../config/zodIssues';
import { GraphAccessError } from './errors';

/** Parses one Graph response value; a mismatch names the JSON path (e.g. `value[3].id`). */
export function parseGraph<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
  tenantId: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`).join('; ');
  const message = `Unexpected Graph response from ${where} in tenant ${tenantId}: ${problems}`;
  throw new GraphAccessError({ code: 'unexpectedResponse', message, retryable: false }, { message }, { tenantId });
}

export function parseEach<S extends z.ZodType>(
  schema: S,
  values: unknown[],
  where: string,
  tenantId: string,
): z.output<S>[] {
  return values.map((value, index) => parseGraph(schema, value, `${where} value[${index}]`, tenantId));
}
