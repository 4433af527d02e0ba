import type { z } from 'zod';
import { formatIssues } from '../../config/zodIssues';

/** External data (a Graph response, a Halo report, a queue message) that does not have the expected shape. */
export class SyncInputError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not as expected:\n  - ${problems.slice(0, 20).join('\n  - ')}`);
    this.name = 'SyncInputError';
  }
}

/** Parses with zod; a rejection names each problem by its JSON path under `source`. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new SyncInputError(source, formatIssues(parsed.error, '$'));
  return parsed.data;
}
