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
  const message = `Unexpected Graph response from ${where} in tenant ${tenantId}: ${problemsOf(result.error)}`;
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

/** An item of a collection that could not be read: where it was, its id when it had one, and why. */
export interface SkippedItem {
  /** Position in the collection (across pages for a paged one). */
  readonly index: number;
  readonly id?: string;
  readonly reason: string;
}

/** A collection read item by item: what could be read, and what was skipped with the reason. */
export interface Collection<T> {
  readonly items: T[];
  readonly skipped: SkippedItem[];
}

export type ItemParser<T> = (value: unknown) => { ok: true; value: T } | { ok: false; reason: string };

/** An ItemParser from a zod schema; the reason names each wrong field's path. */
export function itemParser<S extends z.ZodType>(schema: S): ItemParser<z.output<S>> {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? { ok: true, value: result.data } : { ok: false, reason: problemsOf(result.error) };
  };
}

/**
 * Reads every item on its own, so that one malformed item (a field of an unexpected type, a missing id) is
 * skipped with its reason instead of failing the whole collection. `offset` numbers items across pages.
 */
export function parseItems<T>(values: readonly unknown[], parse: ItemParser<T>, offset = 0): Collection<T> {
  const items: T[] = [];
  const skipped: SkippedItem[] = [];
  values.forEach((value, index) => {
    const result = parse(value);
    if (result.ok) items.push(result.value);
    else skipped.push({ index: offset + index, ...idOf(value), reason: result.reason });
  });
  return { items, skipped };
}

/** The item's id, when it has a usable one (for logs and the mail log). */
export function idOf(value: unknown): { id?: string } {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length > 0 ? { id } : {};
}

function problemsOf(error: z.ZodError): string {
  return error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`).join('; ');
}
