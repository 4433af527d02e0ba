import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { truncateText } from '../json';
import { newestFirstKey, safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable, type ListOptions, type StoredEntity, type TableAction } from './entityTable';
import { type Clock, checkRecord, parseRow, systemClock } from './records';

export const MAIL_OUTCOMES = ['created', 'appended', 'ignored', 'failed', 'other'] as const;
export type MailOutcome = (typeof MAIL_OUTCOMES)[number];

const recordSchema = z.object({
  mailbox: z.string().min(1),
  /** The Graph message id (or internetMessageId); any characters, keys are sanitised. */
  messageId: z.string().min(1),
  /** What happened to the mail, e.g. `ticket 12 created`, `appended to 12`, `ignored by rule …`, `failed: …`. */
  fate: z.string().min(1),
  ticketId: z.number().int().optional(),
  subject: z.string().optional(),
  from: z.string().optional(),
  receivedAt: z.string().optional(),
  processedAt: z.string(),
  detail: z.string().optional(),
});

export type MailLogEntry = z.output<typeof recordSchema>;
export type MailLogDraft = Omit<MailLogEntry, 'processedAt'> & { processedAt?: string };

/**
 * A search of the log, newest first. Exact criteria (sender, ticket, outcome, dates) are evaluated by the table
 * service; `text` (a fragment of the subject or sender) is matched here over at most `scanLimit` rows per request,
 * and the page says how far back it searched so that the caller can continue.
 */
export interface MailLogQuery {
  readonly mailboxes: readonly string[];
  /** An address (exact, case-insensitive) or a domain (`contoso.com` or `@contoso.com`). */
  readonly from?: string;
  readonly ticketId?: number;
  readonly outcome?: MailOutcome;
  /** Received (or, without a received time, processed) at or after / before. */
  readonly since?: Date;
  readonly until?: Date;
  readonly text?: string;
  /** Continue after this cursor (from a previous page's `next`). */
  readonly after?: string;
  /** Page size (default 50, at most 500). */
  readonly limit?: number;
  /** Rows examined per mailbox for a `text` search (default 2,000). */
  readonly scanLimit?: number;
}

export interface MailLogPage {
  readonly entries: (MailLogEntry & { readonly outcome: MailOutcome })[];
  /** Pass as `after` for the next page; absent when nothing older matches. */
  readonly next?: string;
  /** Rows read from the table for this page. */
  readonly scanned: number;
}

export interface MailLogStore {
  upsert(entry: MailLogDraft): Promise<MailLogEntry>;
  /**
   * Bulk import of entries never logged before (e.g. a benchmark's seed or a migration): no read per entry, up to
   * 50 entries per transaction. Each entry needs `receivedAt`, which places it in the time index.
   */
  importNew(entries: readonly MailLogDraft[]): Promise<number>;
  get(mailbox: string, messageId: string): Promise<MailLogEntry | undefined>;
  /** The entries of one mailbox in message-id order (see `search` for newest first). */
  list(mailbox: string, options?: ListOptions): Promise<MailLogEntry[]>;
  search(query: MailLogQuery): Promise<MailLogPage>;
}

/**
 * Row layout, one partition per mailbox. A message row keyed by the message id (looked up on every rewrite of the
 * same message) and a time row keyed newest first (`~t~<inverted ms>-<hash>`) carrying the same fields plus the
 * lower-cased sender, its domain and the outcome, so that a page of the newest entries, a date range and the exact
 * criteria are key-range queries with server-side filters instead of a scan of the mailbox. Both rows are written
 * in one transaction. Message ids never start with `~` (Graph ids are base64, internet ids start with `<`).
 */
const TIME_PREFIX = '~t~';
const TIME_END = '~t~~';
const MESSAGE_ROWS = odata`RowKey lt ${'~'}`;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DEFAULT_SCAN_LIMIT = 2_000;
const IMPORT_BATCH = 50;
const TIME_ROW_SELECT = [
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

/** The fate of each incoming mail, per mailbox, searchable newest first. */
export function mailLogStore(connection: StorageConnection, options: { now?: Clock } = {}): MailLogStore {
  const table = entityTable(connection, TABLES.mailLog);
  const now = options.now ?? systemClock;
  const fromRow = (row: StoredEntity) => parseRow(recordSchema, row, table.name);
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
  const rowsOf = (entry: MailLogEntry, timeKey: string): TableAction[] => [
    { kind: 'upsert', rowKey: safeKey(entry.messageId), properties: { ...entry, timeKey } },
    { kind: 'upsert', rowKey: timeKey, properties: { ...entry, ...searchColumns(entry) } },
  ];

  return {
    async upsert(draft) {
      const entry = prepare(draft);
      const pk = safeKey(entry.mailbox);
      const existing = await table.get(pk, safeKey(entry.messageId));
      const previousKey = typeof existing?.timeKey === 'string' ? existing.timeKey : undefined;
      const timeKey = entry.receivedAt
        ? timeKeyOf(entry.receivedAt, entry.messageId)
        : (previousKey ?? timeKeyOf(entry.processedAt, entry.messageId));
      const actions = rowsOf(entry, timeKey);
      if (previousKey && previousKey !== timeKey) {
        try {
          await table.transact(pk, [...actions, { kind: 'delete', rowKey: previousKey }]);
          return entry;
        } catch {
          // The old time row is already gone (a concurrent rewrite): write without deleting it.
        }
      }
      await table.transact(pk, actions);
      return entry;
    },
    async importNew(drafts) {
      const byMailbox = new Map<string, TableAction[]>();
      for (const draft of drafts) {
        if (!draft.receivedAt) throw new Error(`mail log import: ${draft.messageId} has no receivedAt`);
        const entry = prepare(draft);
        const actions = byMailbox.get(entry.mailbox) ?? [];
        actions.push(...rowsOf(entry, timeKeyOf(draft.receivedAt, entry.messageId)));
        byMailbox.set(entry.mailbox, actions);
      }
      for (const [mailbox, actions] of byMailbox) {
        for (let i = 0; i < actions.length; i += IMPORT_BATCH * 2) {
          await table.transact(safeKey(mailbox), actions.slice(i, i + IMPORT_BATCH * 2));
        }
      }
      return drafts.length;
    },
    async get(mailbox, messageId) {
      const row = await table.get(safeKey(mailbox), safeKey(messageId));
      return row ? fromRow(row) : undefined;
    },
    async list(mailbox, listOptions = {}) {
      const filter = listOptions.filter ? `${MESSAGE_ROWS} and (${listOptions.filter})` : MESSAGE_ROWS;
      return (await table.list(safeKey(mailbox), { ...listOptions, filter })).map(fromRow);
    },
    search: (query) => searchLog(table, query),
  };
}

function timeKeyOf(at: string, messageId: string): string {
  const time = Date.parse(at);
  const hash = createHash('sha256').update(messageId).digest('hex').slice(0, 12);
  return `${TIME_PREFIX}${newestFirstKey(new Date(Number.isNaN(time) ? 0 : time), hash)}`;
}

function searchColumns(entry: MailLogEntry) {
  const from = entry.from?.trim().toLowerCase();
  return {
    outcome: fateOutcome(entry.fate),
    ...(from ? { fromLower: from, fromDomain: from.slice(from.lastIndexOf('@') + 1) } : {}),
  };
}

/** Where one mailbox's read stopped: its last key, and whether older rows remain. */
interface Frontier {
  readonly lastKey: string | undefined;
  readonly more: boolean;
}

async function searchLog(table: ReturnType<typeof entityTable>, query: MailLogQuery): Promise<MailLogPage> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const text = query.text?.trim().toLowerCase();
  const scanLimit = text ? Math.max(limit, query.scanLimit ?? DEFAULT_SCAN_LIMIT) : Number.POSITIVE_INFINITY;
  const filter = serverFilter(query);
  const perMailbox = await Promise.all(
    [...new Set(query.mailboxes)].map(async (mailbox) => {
      const matches: StoredEntity[] = [];
      let scanned = 0;
      let lastKey: string | undefined;
      let more = false;
      const pages = table.pages(safeKey(mailbox), {
        filter,
        select: TIME_ROW_SELECT,
        pageSize: text ? Math.min(1000, scanLimit) : limit + 1,
      });
      outer: for await (const page of pages) {
        for (const row of page) {
          if (scanned >= scanLimit) {
            more = true;
            break outer;
          }
          scanned++;
          lastKey = row.rowKey;
          if (!text || matchesText(row, text)) matches.push(row);
          if (!text && matches.length > limit) {
            more = true;
            break outer;
          }
        }
      }
      // Without a text search the extra row only told us that more exist; it is not part of this page.
      if (!text && matches.length > limit) {
        matches.length = limit;
        lastKey = matches[limit - 1]?.rowKey;
      }
      return { matches, scanned, frontier: { lastKey, more } satisfies Frontier };
    }),
  );
  // A row is safe to return only if every mailbox that still has older rows was read at least that far back.
  const open = perMailbox.filter((m) => m.frontier.more).map((m) => m.frontier.lastKey ?? '');
  const horizon = open.length > 0 ? open.sort()[0] : undefined;
  const candidates = perMailbox
    .flatMap((m) => m.matches)
    .filter((row) => horizon === undefined || row.rowKey <= horizon)
    .sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
  const page = candidates.slice(0, limit);
  const next = candidates.length > limit ? page[page.length - 1]?.rowKey : horizon !== undefined ? horizon : undefined;
  return {
    entries: page.map(toEntry),
    ...(next ? { next: next.slice(TIME_PREFIX.length) } : {}),
    scanned: perMailbox.reduce((n, m) => n + m.scanned, 0),
  };
}

function serverFilter(query: MailLogQuery): string {
  const lower = query.after ? `${TIME_PREFIX}${query.after}` : TIME_PREFIX;
  const clauses = [query.after ? odata`RowKey gt ${lower}` : odata`RowKey ge ${lower}`, odata`RowKey lt ${TIME_END}`];
  // Newest-first keys: a later time has a smaller key.
  if (query.until) clauses.push(odata`RowKey ge ${`${TIME_PREFIX}${newestFirstKey(query.until, '')}`}`);
  if (query.since)
    clauses.push(odata`RowKey lt ${`${TIME_PREFIX}${newestFirstKey(new Date(query.since.getTime() - 1), '')}`}`);
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
  return clauses.join(' and ');
}

function matchesText(row: StoredEntity, text: string): boolean {
  const subject = typeof row.subject === 'string' ? row.subject.toLowerCase() : '';
  const from = typeof row.from === 'string' ? row.from.toLowerCase() : '';
  return subject.includes(text) || from.includes(text);
}

function toEntry(row: StoredEntity): MailLogEntry & { outcome: MailOutcome } {
  const entry = recordSchema.parse(row);
  const outcome = MAIL_OUTCOMES.find((o) => o === row.outcome) ?? fateOutcome(entry.fate);
  return { ...entry, outcome };
}
