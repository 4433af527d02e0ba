import type { z } from 'zod';
import { formatPath } from '../../config/zodIssues';
import type { StoredEntity } from './entityTable';

/** A row that does not have the shape its repository writes (hand-edited, or from an older version). */
export class StoredRecordError extends Error {
  override readonly name = 'StoredRecordError';
}

/** Validates a row read back from a table against the repository's record schema. */
export function parseRow<S extends z.ZodType>(schema: S, row: StoredEntity, table: string): z.output<S> {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`).join('; ');
  throw new StoredRecordError(`${table}(${row.partitionKey}, ${row.rowKey}) is malformed: ${problems}`);
}

/** Validates a record before it is written, with the same JSON-path messages. */
export function checkRecord<S extends z.ZodType>(schema: S, record: unknown, table: string): z.output<S> {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`).join('; ');
  throw new StoredRecordError(`${table}: refusing to write an invalid record: ${problems}`);
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
