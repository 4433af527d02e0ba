import { z } from 'zod';
import { loadMailboxState } from '../../mail/useCases/mailboxState';
import { scanRunKind } from '../../mail/useCases/scanMailbox';
import { MAIL_OUTCOMES, type MailLogPage, type MailOutcome, type SubscriptionRecord } from '../../storage';
import type { ConsoleDeps } from '../deps';
import { maskSecrets } from '../mask';
import { dayOrTime, pageLimit } from '../query';
import { NotFoundError } from './notFound';

export const mailQuerySchema = z
  .object({
    /** A configured mailbox id; all mailboxes when absent. */
    mailbox: z.string().trim().min(1).optional(),
    /** A fragment of the subject or the sender (searched within a scan budget, newest first). */
    q: z.string().trim().min(2, { message: 'must be at least 2 characters' }).max(200).optional(),
    /** A sender address or a domain (`contoso.com`, `@contoso.com`). */
    from: z.string().trim().min(3).max(320).optional(),
    ticket: z.coerce.number().int().positive().optional(),
    outcome: z.enum(MAIL_OUTCOMES).optional(),
    since: dayOrTime(false).optional(),
    until: dayOrTime(true).optional(),
    /** The `next` cursor of the previous page. */
    after: z
      .string()
      .regex(/^d\d{5}\/([0-9]{16}-[0-9a-f]{16})?$/, { message: 'is not a cursor this console gave out' })
      .optional(),
    limit: pageLimit(200, 50),
  })
  .strict();

export type MailQuery = z.output<typeof mailQuerySchema>;

export interface MailboxView {
  readonly id: string;
  readonly address: string;
  readonly startFrom: string;
  readonly notifications: boolean;
  /** The scan checkpoint: whether a delta link is held, since when, the last scan that reached its end. */
  readonly scan: {
    readonly hasDeltaLink: boolean;
    readonly baselineAt?: string;
    readonly lastSuccessfulScanAt?: string;
  };
  /** The newest scan run (consecutive idle scans share one). */
  readonly lastScan?: {
    readonly status: string;
    readonly startedAt: string;
    readonly finishedAt?: string;
    readonly idleScans?: number;
    readonly counts: Readonly<Record<string, number>>;
    readonly error?: string;
  };
  readonly subscriptionExpiresAt?: string;
  /** What became of the mail of the last 24 hours, by outcome (`more`: over RECENT_LIMIT, counted that far). */
  readonly last24h?: { readonly counts: Readonly<Partial<Record<MailOutcome, number>>>; readonly more: boolean };
}

export interface MailRow {
  readonly mailbox: string;
  readonly messageId: string;
  readonly receivedAt?: string;
  readonly processedAt: string;
  readonly from?: string;
  readonly subject?: string;
  readonly outcome: MailOutcome;
  /** In words: "ticket 1005 created", "ignored by rule autoReply: …", "failed: …". */
  readonly fate: string;
  /** The ignore rule that ate the mail, when one did. */
  readonly rule?: string;
  readonly ticketId?: number;
  readonly ticketUrl?: string;
  readonly detail?: string;
}

export interface MailView {
  readonly mailboxes: readonly MailboxView[];
  readonly entries: readonly MailRow[];
  /** Pass as `after` for the next (older) page. */
  readonly next?: string;
  /** Rows the search read (a text search reads at most a budget per mailbox per page). */
  readonly scanned: number;
}

export class UnknownMailboxError extends NotFoundError {
  override readonly name = 'UnknownMailboxError';
}

/** The Mail page and `cli mail-log`: each mailbox's scan state, and the log of every message's fate. */
export async function mailView(deps: ConsoleDeps, query: MailQuery): Promise<MailView> {
  const configured = deps.config.mailboxes;
  if (query.mailbox && !configured.some((m) => m.id === query.mailbox)) {
    throw new UnknownMailboxError(
      `no mailbox "${query.mailbox}" is configured (configured: ${configured.map((m) => m.id).join(', ') || 'none'})`,
    );
  }
  const ids = query.mailbox ? [query.mailbox] : configured.map((m) => m.id);
  const [mailboxes, page] = await Promise.all([
    mailboxViews(deps, ids, { recent: true }),
    ids.length === 0
      ? Promise.resolve<MailLogPage>({ entries: [], scanned: 0 })
      : deps.stores.mailLog.search({
          mailboxes: ids,
          ...(query.q ? { text: query.q } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.ticket !== undefined ? { ticketId: query.ticket } : {}),
          ...(query.outcome ? { outcome: query.outcome } : {}),
          ...(query.since ? { since: query.since } : {}),
          ...(query.until ? { until: query.until } : {}),
          ...(query.after ? { after: query.after } : {}),
          limit: query.limit,
        }),
  ]);
  const links = deps.links;
  const secrets = deps.secrets;
  return {
    mailboxes,
    entries: page.entries.map((entry) => {
      const rule = /^ignored by rule ([^:\s]+)/.exec(entry.fate)?.[1];
      return {
        mailbox: entry.mailbox,
        messageId: entry.messageId,
        ...(entry.receivedAt ? { receivedAt: entry.receivedAt } : {}),
        processedAt: entry.processedAt,
        ...(entry.from ? { from: entry.from } : {}),
        ...(entry.subject !== undefined ? { subject: entry.subject } : {}),
        outcome: entry.outcome,
        fate: maskSecrets(entry.fate, secrets),
        ...(rule ? { rule } : {}),
        ...(entry.ticketId !== undefined ? { ticketId: entry.ticketId, ticketUrl: links.ticket(entry.ticketId) } : {}),
        ...(entry.detail ? { detail: maskSecrets(entry.detail, secrets) } : {}),
      };
    }),
    ...(page.next ? { next: page.next } : {}),
    scanned: page.scanned,
  };
}

const RECENT_LIMIT = 5_000;

/** Each mailbox's scan state; with `recent`, also the fates of its last 24 hours of mail (one more read). */
export async function mailboxViews(
  deps: ConsoleDeps,
  ids: readonly string[],
  options: { recent: boolean; subscriptions?: readonly SubscriptionRecord[] },
): Promise<MailboxView[]> {
  const subscriptions = options.subscriptions ?? (await deps.stores.subscriptions.list());
  const since = new Date(deps.now().getTime() - 86_400_000);
  return Promise.all(
    ids.map(async (id) => {
      const mailbox = deps.config.mailboxes.find((m) => m.id === id)!;
      const [{ state }, [run], recent] = await Promise.all([
        loadMailboxState(deps.stores.checkpoints, id),
        deps.stores.runs.list(scanRunKind(id), { top: 1 }),
        options.recent ? deps.stores.mailLog.countOutcomes([id], since, RECENT_LIMIT) : undefined,
      ]);
      // In the outcomes' own order, for people.
      const counts: Partial<Record<MailOutcome, number>> = {};
      for (const outcome of MAIL_OUTCOMES) {
        const n = recent?.counts[outcome] ?? 0;
        if (n > 0) counts[outcome] = n;
      }
      const expiry = subscriptions
        .filter((s) => s.mailbox.toLowerCase() === mailbox.address.toLowerCase() || s.mailbox === id)
        .map((s) => s.expiresAt)
        .sort()
        .pop();
      const idleScans = (run?.summary as { idleScans?: unknown } | undefined)?.idleScans;
      return {
        id,
        address: mailbox.address,
        startFrom: mailbox.startFrom,
        notifications: mailbox.notifications,
        scan: {
          hasDeltaLink: Boolean(state.deltaLink),
          ...(state.baselineAt ? { baselineAt: state.baselineAt } : {}),
          ...(state.lastSuccessfulScanAt ? { lastSuccessfulScanAt: state.lastSuccessfulScanAt } : {}),
        },
        ...(run
          ? {
              lastScan: {
                status: run.status,
                startedAt: run.startedAt,
                ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
                ...(typeof idleScans === 'number' ? { idleScans } : {}),
                counts: run.counts,
                ...(run.error ? { error: maskSecrets(run.error, deps.secrets) } : {}),
              },
            }
          : {}),
        ...(expiry ? { subscriptionExpiresAt: expiry } : {}),
        ...(recent ? { last24h: { counts, more: recent.more } } : {}),
      };
    }),
  );
}
