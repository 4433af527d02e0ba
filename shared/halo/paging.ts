/** Halo serves at most this many rows per page (at least on /Tickets); asking for more silently truncates. */
export const HALO_MAX_PAGE_SIZE = 100;

/** The envelope keys Halo's list endpoints use; lookups (Status, Outcome, TicketType) are bare arrays. */
const ENVELOPE_KEYS = [
  'tickets',
  'actions',
  'users',
  'clients',
  'sites',
  'assets',
  'agents',
  'teams',
  'statuses',
  'outcomes',
  'reports',
  'attachments',
  'records',
  'scripts',
] as const;

export interface Page {
  readonly rows: unknown[];
  readonly recordCount: number | undefined;
}

/** The rows of one list answer: a bare array, or `{record_count, <key>: [...]}`. */
export function extractPage(body: unknown, key?: string): Page {
  if (Array.isArray(body)) return { rows: body, recordCount: undefined };
  if (body === null || typeof body !== 'object') return { rows: [], recordCount: undefined };
  const record = body as Record<string, unknown>;
  const count = typeof record.record_count === 'number' ? record.record_count : undefined;
  if (key !== undefined && Array.isArray(record[key])) return { rows: record[key] as unknown[], recordCount: count };
  for (const candidate of ENVELOPE_KEYS) {
    if (Array.isArray(record[candidate])) return { rows: record[candidate] as unknown[], recordCount: count };
  }
  const arrays = Object.values(record).filter(Array.isArray);
  if (arrays.length === 1) return { rows: arrays[0] as unknown[], recordCount: count };
  return { rows: [], recordCount: count };
}

/**
 * Whether paging is over, counting the rows actually returned (record_count may exceed what pages give):
 * an empty page, a page shorter than asked, the total reached, or the caller's row limit reached.
 */
export function isLastPage(input: {
  returned: number;
  requested: number;
  collected: number;
  recordCount: number | undefined;
  maxRows?: number;
}): boolean {
  if (input.returned === 0 || input.returned < input.requested) return true;
  if (input.recordCount !== undefined && input.collected >= input.recordCount) return true;
  return input.maxRows !== undefined && input.collected >= input.maxRows;
}

/** Splits writes into Halo-sized batches (POST arrays of at most `size`). */
export function chunk<T>(items: readonly T[], size: number = HALO_MAX_PAGE_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The records a write returned: Halo answers a one-item POST with the object, others with an array (or envelope). */
export function writtenRecords(body: unknown): unknown[] {
  if (body === undefined || body === null || body === '') return [];
  if (Array.isArray(body)) return body;
  if (typeof body === 'object') {
    const page = extractPage(body);
    if (page.rows.length > 0 && !('id' in (body as object))) return page.rows;
    return [body];
  }
  return [];
}
