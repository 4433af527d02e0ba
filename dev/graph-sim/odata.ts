import type { Json } from './store';

/** Applies `$select` (comma list); `id` is always returned, as Graph does. */
export function select(item: Json, query: URLSearchParams, defaults?: readonly string[]): Json {
  const raw = query.get('$select');
  const fields = raw ? raw.split(',').map((f) => f.trim()) : defaults;
  if (!fields) return item;
  const out: Json = { id: item.id };
  for (const field of fields) if (field in item) out[field] = item[field];
  return out;
}

export interface PageCursor {
  /** Which list the cursor belongs to, so a skiptoken cannot be replayed on another path. */
  readonly list: string;
  readonly offset: number;
  readonly size: number;
  readonly extra?: Record<string, unknown>;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(token: string): PageCursor | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageCursor;
  } catch {
    return undefined;
  }
}

/** `receivedDateTime ge 2024-01-01T00:00:00Z` (the only message filter the simulator understands). */
export function receivedSince(query: URLSearchParams): string | undefined {
  return receivedSinceIn(query.get('$filter') ?? undefined);
}

/** The lower bound of a `$filter` text, as a normalised ISO timestamp. */
export function receivedSinceIn(filter: string | undefined): string | undefined {
  if (!filter) return undefined;
  const match = /receivedDateTime\s+(ge|gt)\s+'?([0-9TZ:.+-]+)'?/i.exec(filter);
  const at = match?.[2] ? Date.parse(match[2]) : Number.NaN;
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}
