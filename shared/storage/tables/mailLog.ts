import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { truncateText } from '../json';
import { newestFirstKey } from '../keys';
import { TABLES } from '../names';
import { type EntityTable, entityTable, type ListOptions, type StoredEntity } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

export const MAIL_OUTCOMES = ['created', 'appended', 'ignored', 'failed', 'other'] as const;
export type MailOutcome = (typeof MAIL_OUTCOMES)[number];

const recordSchema = z.object({
  mailbox: z.string().min(1),
  /** The Graph message id (or internetMessageId); any characters. */
  messageId: z.string().min(1),
  /** What happened to the mail, e.g. `ticket 12 created`, `appended to 12`, `ignored by rule …`, `failed: …`. */
  fate: z.string().min(1),
  ticketId: z.number().int().optional(),
  subject: z.string().optional(),
  from: z.string().optional(),
  /** When the mail arrived (Graph's receivedDateTime, which never changes): where the entry sits in the log. */
  receivedAt: z.string().optional(),
  processedAt: z.string(),
  detail: z.string().optional(),
});

export type MailLogEntry = z.output<typeof recordSchema>;
export type MailLogDraft = Omit<MailLogEntry, 'processedAt'> & { processedAt?: string };
export type FoundMailLogEntry = MailLogEntry & { readonly outcome: MailOutcome };

/**
 * A search of the log, newest first. Exact criteria (mailbox, sender, ticket, outcome, dates) are evaluated by the
 * table service; `text` (a fragment of the subject or sender) is matched here over at most `scanLimit` rows per
 * request, and the page's `next` continues where it stopped.
 */
export interface MailLogQuery {
  /** Only these mailboxes (all when absent). */
  readonly mailboxes?: readonly string[];
  /** An address (exact, case-insensitive) or a domain (`contoso.com` or `@contoso.com`). */
  readonly from?: string;
  readonly ticketId?: number;
  readonly outcome?: MailOutcome;
  /** Received (or, without a received time, processed) at or after / at or before. */
  readonly since?: Date;
  readonly until?: Date;
  readonly text?: string;
  /** Continue after this cursor (a previous page's `next`). */
  readonly after?: string;
  /** Page size (default 50, at most 500). */
  readonly limit?: number;
  /** Rows examined per request by a `text` search (default 600, about two days of a busy support mailbox). */
  readonly scanLimit?: number;
}

export interface MailLogPage {
  readonly entries: readonly FoundMailLogEntry[];
  /** Pass as `after` for the next (older) page; absent when nothing older is left to search. */
  readonly next?: string;
  /** Rows read from the table for this page. */
  readonly scanned: number;
}

export interface MailLogStore {
  upsert(entry: MailLogDraft): Promise<MailLogEntry>;
  /**
   * Bulk import of entries (e.g. a benchmark's seed or a migration), 100 per transaction where they share a day.
   * Each entry needs `receivedAt`, which places it in the log.
   */
  importNew(entries: readonly MailLogDraft[]): Promise<number>;
  /** One message's entry: a point read when its received time is known, a search of the mailbox otherwise. */
  get(mailbox: string, messageId: string, receivedAt?: string): Promise<MailLogEntry | undefined>;
  /** Every entry of one mailbox, newest first (`filter` and `top` as for any table). */
  list(mailbox: string, options?: ListOptions): Promise<MailLogEntry[]>;
  search(query: MailLogQuery): Promise<MailLogPage>;
  /** How many mails of these mailboxes had each outcome since a time (reading only the outcome, at most `max`). */
  countOutcomes(
    mailboxes: readonly string[],
    since: Date,
    max?: number,
  ): Promise<{ counts: Partial<Record<MailOutcome, number>>; more: boolean }>;
}

/**
 * Row layout: one row per mail. The partition is the mail's UTC day, numbered so that later days sort first
 * (`d<inverted day>`), and the row key orders newest first within the day (`<inverted ms>-<hash of mailbox and
 * message id>`), so the log reads newest first as stored: the newest page is one small partition, a date range is a
 * key range, and no query sorts a whole mailbox. The row carries the lower-cased sender, its domain and the outcome
 * for server-side filters. A rewrite of the same message lands on the same row (its received time never changes).
 */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DEFAULT_SCAN_LIMIT = 600;
/** How far back a search goes without a `since`: the longest the log is kept by default. */
const DEFAULT_WINDOW_DAYS = 90;
/** Day partitions one request walks at most when its criteria are not selective (then it hands back a cursor). */
const DAYS_PER_REQUEST = 7;
const DAY_MS = 86_400_000;
const LAST_DAY = 99_999;
const ROW_SELECT = [
  'PartitionKey',
  'RowKey',
  'mailbox',
  'messageId',
  'fate',
  'ticketId',
  'subject',
  'from',
  'receivedAt',
  'processedAt',
  'detail',
  'outcome',
] as const;

/** The outcome a fate text names (the mail flow's vocabulary: created, appended, ignored, failed). */
export function fateOutcome(fate: string): MailOutcome {
  const text = fate.trim().toLowerCase();
  if (text.startsWith('failed')) return 'failed';
  if (text.startsWith('ignored')) return 'ignored';
  if (text.startsWith('appended')) return 'appended';
  if (/^(ticket( \d+)? )?created/.test(text)) return 'created';
  return 'other';
}

/** The fate of each incoming mail, searchable newest first. */
export function mailLogStore(connection: StorageConnection, options: { now?: Clock } = {}): MailLogStore {
  const table = entityTable(connection, TABLES.mailLog);
  const now = options.now ?? systemClock;
  const prepare = (entry: MailLogDraft) => {
    const record = checkRecord(
      recordSchema,
      { ...entry, processedAt: entry.processedAt ?? now().toISOString() },
      table.name,
    );
    return {
      ...record,
      subject: record.subject === undefined ? undefined : truncateText(record.subject, 1_000),
      detail: record.detail === undefined ? undefined : truncateText(record.detail, 8_000),
    };
  };
  const write = (entry: MailLogEntry, at: string) => {
    const key = keyOf(entry.mailbox, entry.messageId, at);
    return table.upsert(key.partitionKey, key.rowKey, { ...entry, ...searchColumns(entry) });
  };
  const findByMessage = async (mailbox: string, messageId: string) => {
    const [row] = await table.list(undefined, {
      filter: odata`mailbox eq ${mailbox} and messageId eq ${messageId}`,
      top: 1,
    });
    return row;
  };

  return {
    async upsert(draft) {
      const entry = prepare(draft);
      if (entry.receivedAt) {
        await write(entry, entry.receivedAt);
        return entry;
      }
      // No received time: keep the row where an earlier write of this message put it.
      const existing = await findByMessage(entry.mailbox, entry.messageId);
      if (existing) await table.upsert(existing.partitionKey, existing.rowKey, { ...entry, ...searchColumns(entry) });
      else await write(entry, entry.processedAt);
      return entry;
    },
    async importNew(drafts) {
      const byDay = new Map<string, { rowKey: string; entry: MailLogEntry }[]>();
      for (const draft of drafts) {
        if (!draft.receivedAt) throw new Error(`mail log import: ${draft.messageId} has no receivedAt`);
        const entry = prepare(draft);
        const key = keyOf(entry.mailbox, entry.messageId, draft.receivedAt);
        const rows = byDay.get(key.partitionKey) ?? [];
        rows.push({ rowKey: key.rowKey, entry });
        byDay.set(key.partitionKey, rows);
      }
      for (const [partitionKey, rows] of byDay) {
        for (let i = 0; i < rows.length; i += 100) {
          await table.transact(
            partitionKey,
            rows.slice(i, i + 100).map(({ rowKey, entry }) => ({
              kind: 'upsert' as const,
              rowKey,
              properties: { ...entry, ...searchColumns(entry) },
            })),
          );
        }
      }
      return drafts.length;
    },
    async get(mailbox, messageId, receivedAt) {
      const row = receivedAt
        ? await (async () => {
            const key = keyOf(mailbox, messageId, receivedAt);
            return table.get(key.partitionKey, key.rowKey);
          })()
        : await findByMessage(mailbox, messageId);
      return row ? parseRow(recordSchema, row, table.name) : undefined;
    },
    async list(mailbox, listOptions = {}) {
      const mine = odata`mailbox eq ${mailbox}`;
      const filter = listOptions.filter ? `${mine} and (${listOptions.filter})` : mine;
      return (await table.list(undefined, { ...listOptions, filter })).map((row) =>
        parseRow(recordSchema, row, table.name),
      );
    },
    search: (query) => searchLog(table, query, now()),
    async countOutcomes(mailboxes, since, max = 5_000) {
      const counts: Partial<Record<MailOutcome, number>> = {};
      let seen = 0;
      // One range query over the few day partitions since then, reading only the outcome.
      const filter = [
        odata`PartitionKey ge ${dayKey(now().getTime() + DAY_MS)}`,
        odata`PartitionKey le ${dayKey(since.getTime())}`,
        odata`RowKey lt ${newestFirstKey(new Date(since.getTime() - 1), '')}`,
        ...propertyFilters({ mailboxes }),
      ].join(' and ');
      for await (const page of table.pages(undefined, { filter, select: ['outcome'] })) {
        for (const row of page) {
          if (seen >= max) return { counts, more: true };
          seen++;
          const outcome = MAIL_OUTCOMES.find((o) => o === row.outcome) ?? 'other';
          counts[outcome] = (counts[outcome] ?? 0) + 1;
        }
      }
      return { counts, more: false };
    },
  };
}

/** The day partition of a time: `d` and the days left until day 99,999 since 1970, so that later days sort first. */
function dayKey(at: number): string {
  return `d${String(LAST_DAY - Math.floor(at / DAY_MS)).padStart(5, '0')}`;
}

function keyOf(mailbox: string, messageId: string, at: string): { partitionKey: string; rowKey: string } {
  const parsed = Date.parse(at);
  const time = Number.isNaN(parsed) ? 0 : parsed;
  const hash = createHash('sha256').update(`${mailbox}\u0000${messageId}`).digest('hex').slice(0, 16);
  return { partitionKey: dayKey(time), rowKey: newestFirstKey(new Date(time), hash) };
}

function searchColumns(entry: MailLogEntry) {
  const from = entry.from?.trim().toLowerCase();
  return {
    outcome: fateOutcome(entry.fate),
    ...(from ? { fromLower: from, fromDomain: from.slice(from.lastIndexOf('@') + 1) } : {}),
  };
}

/**
 * Newest first. A cursor is `<day partition>/<row key>`: the search continues after that row. Selective criteria
 * (a sender or a ticket) read the whole window in one range query, since few rows match; the others walk the day
 * partitions newest first, a few per request, so that no request reads more than a few days of mail.
 */
async function searchLog(table: EntityTable, query: MailLogQuery, now: Date): Promise<MailLogPage> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const text = query.text?.trim().toLowerCase();
  const scanLimit = text ? Math.max(limit, query.scanLimit ?? DEFAULT_SCAN_LIMIT) : Number.POSITIVE_INFINITY;
  const until = query.until ?? new Date(now.getTime() + DAY_MS);
  const since = query.since ?? new Date(now.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  const firstDay = dayKey(until.getTime());
  const lastDay = dayKey(since.getTime());
  const cursor = parseCursor(query.after);
  const startDay = cursor && cursor.partitionKey > firstDay ? cursor.partitionKey : firstDay;
  if (startDay > lastDay) return { entries: [], scanned: 0 };

  // Row keys order the whole log by time (newest first) across days, so one set of row-key bounds holds in every
  // day partition: the window's ends and the cursor.
  const rowBounds = [
    odata`RowKey ge ${newestFirstKey(until, '')}`,
    odata`RowKey lt ${newestFirstKey(new Date(since.getTime() - 1), '')}`,
  ];
  if (cursor?.rowKey) rowBounds.push(odata`RowKey gt ${cursor.rowKey}`);
  const filters = [...rowBounds, ...propertyFilters(query)];

  const found: StoredEntity[] = [];
  let scanned = 0;
  let last: { partitionKey: string; rowKey: string } | undefined;
  const take = (row: StoredEntity): 'full' | 'budget' | undefined => {
    if (scanned >= scanLimit) return 'budget';
    scanned++;
    if (!text || matchesText(row, text)) found.push(row);
    last = { partitionKey: row.partitionKey, rowKey: row.rowKey };
    return found.length > limit ? 'full' : undefined;
  };

  if (query.from || query.ticketId !== undefined) {
    // Few rows match: one query over every day of the window, newest first as stored.
    const filter = [odata`PartitionKey ge ${startDay}`, odata`PartitionKey le ${lastDay}`, ...filters].join(' and ');
    outer: for await (const page of table.pages(undefined, { filter, select: ROW_SELECT, pageSize: limit + 1 })) {
      for (const row of page) if (take(row)) break outer;
    }
    return pageOf(found, limit, scanned, scanned >= scanLimit ? last : undefined);
  }

  // Walk the days newest first, a few partitions per request.
  let day = startDay;
  for (let walked = 0; walked < DAYS_PER_REQUEST && day <= lastDay; walked++) {
    let stop: 'full' | 'budget' | undefined;
    outer: for await (const page of table.pages(day, {
      filter: filters.join(' and '),
      select: ROW_SELECT,
      pageSize: text ? 1000 : limit + 1,
    })) {
      for (const row of page) {
        stop = take(row);
        if (stop) break outer;
      }
    }
    if (stop === 'full') return pageOf(found, limit, scanned, undefined);
    if (stop === 'budget') return pageOf(found, limit, scanned, last);
    day = nextDay(day);
  }
  // The walk stopped at its day budget (more days to search) or at the end of the window.
  const more = day <= lastDay ? { partitionKey: day, rowKey: '' } : undefined;
  return pageOf(found, limit, scanned, more);
}

function pageOf(
  found: readonly StoredEntity[],
  limit: number,
  scanned: number,
  resume: { partitionKey: string; rowKey: string } | undefined,
): MailLogPage {
  const entries = found.slice(0, limit);
  const lastReturned = entries[entries.length - 1];
  const next =
    found.length > limit && lastReturned
      ? `${lastReturned.partitionKey}/${lastReturned.rowKey}`
      : resume
        ? `${resume.partitionKey}/${resume.rowKey}`
        : undefined;
  return { entries: entries.map(toEntry), ...(next ? { next } : {}), scanned };
}

function parseCursor(after: string | undefined): { partitionKey: string; rowKey: string } | undefined {
  if (!after) return undefined;
  const match = /^(d\d{5})\/([0-9]{16}-[0-9a-f]{16})?$/.exec(after);
  if (!match) throw new RangeError(`not a mail log cursor: ${after}`);
  return { partitionKey: match[1]!, rowKey: match[2] ?? '' };
}

/** `d12345` → `d12346` (the day before). */
function nextDay(partitionKey: string): string {
  return `d${String(Number(partitionKey.slice(1)) + 1).padStart(5, '0')}`;
}

function propertyFilters(query: MailLogQuery): string[] {
  const clauses: string[] = [];
  const mailboxes = [...new Set(query.mailboxes ?? [])];
  if (mailboxes.length > 0) clauses.push(`(${mailboxes.map((m) => odata`mailbox eq ${m}`).join(' or ')})`);
  const from = query.from?.trim().toLowerCase();
  if (from) {
    clauses.push(
      from.includes('@') && !from.startsWith('@')
        ? odata`fromLower eq ${from}`
        : odata`fromDomain eq ${from.replace(/^@/, '')}`,
    );
  }
  if (query.ticketId !== undefined) clauses.push(odata`ticketId eq ${query.ticketId}`);
  if (query.outcome) clauses.push(odata`outcome eq ${query.outcome}`);
  return clauses;
}

function matchesText(row: StoredEntity, text: string): boolean {
  const subject = typeof row.subject === 'string' ? row.subject.toLowerCase() : '';
  const from = typeof row.from === 'string' ? row.from.toLowerCase() : '';
  return subject.includes(text) || from.includes(text);
}

function toEntry(row: StoredEntity): FoundMailLogEntry {
  const entry = recordSchema.parse(row);
  const outcome = MAIL_OUTCOMES.find((o) => o === row.outcome) ?? fateOutcome(entry.fate);
  return { ...entry, outcome };
}
