import { randomUUID } from 'node:crypto';
import type { Container } from '../../app/container';
import { ConcurrencyError, newestFirstKey } from '../../storage';
import { MESSAGE_SELECT_FIELDS, parseGraphMessage } from '../graphMessage';
import { isBeforeBaseline, planScanStart } from '../scanWindow';
import { findMailbox, ownMailboxAddresses } from './mailboxes';
import { loadMailboxState, saveMailboxState } from './mailboxState';
import { explainFailure, isServiceError } from './mailErrors';
import { type MessageResult, processMessage } from './processMessage';
import { folderId, type ScanContext } from './scanContext';
import { clearScanPending } from './scanQueue';

export type ScanMode = 'baseline' | 'initial' | 'delta' | 'window';

export interface ScanReport {
  readonly mailboxId: string;
  readonly status: 'succeeded' | 'partial' | 'failed' | 'skipped';
  readonly mode?: ScanMode;
  readonly counts: Record<string, number>;
  readonly fates: { messageId: string; subject: string; fate: string; ticketId?: number }[];
  readonly error?: string;
  /** Some message stopped part-way for a reason worth retrying: the queue should deliver the scan again. */
  readonly retry: boolean;
}

export function scanRunKind(mailboxId: string): string {
  return `mailbox-scan:${mailboxId}`;
}

/**
 * One scan of one mailbox: a messages delta from the stored deltaLink (one Graph request when nothing is new), each
 * new message processed exactly once, the deltaLink saved only when every message reached its final state. Writes
 * a run record (status, counts, fates, a plain-words error) for every scan.
 */
export async function scanMailbox(
  deps: Pick<Container, 'config' | 'halo' | 'graph' | 'stores' | 'log' | 'now'>,
  mailboxId: string,
): Promise<ScanReport> {
  const startedAt = deps.now();
  const mailbox = findMailbox(deps.config, mailboxId);
  const empty = { counts: {}, fates: [], retry: false };
  if (!mailbox) return { mailboxId, status: 'skipped', ...empty, error: `mailbox "${mailboxId}" is not configured` };
  if (!deps.graph) {
    const error = 'Microsoft Graph is not configured (GRAPH_CLIENT_ID / GRAPH_HOME_TENANT_ID)';
    return record(deps, startedAt, { mailboxId, status: 'failed', ...empty, error });
  }
  await clearScanPending(deps, mailboxId);
  const loaded = await loadMailboxState(deps.stores.checkpoints, mailboxId);
  const ctx: ScanContext = {
    deps,
    mailbox,
    graph: deps.graph.forTenant(mailbox.tenantId),
    state: loaded.state,
    ownAddresses: ownMailboxAddresses(deps.config),
    users: new Map(),
    foldersChanged: false,
  };
  const start = planScanStart(mailbox, loaded.state, startedAt);
  let mode: ScanMode = start.mode;
  const counts: Record<string, number> = { messages: 0 };
  const fates: ScanReport['fates'] = [];
  let holdCheckpoint = false;
  let retry = false;
  try {
    const inbox = await folderId(ctx, 'inbox');
    const delta = await ctx.graph.messagesDelta(mailbox.address, inbox, {
      ...(start.mode === 'delta' ? { deltaLink: start.deltaLink } : {}),
      select: MESSAGE_SELECT_FIELDS,
    });
    // A delta round that restarted from nothing (token expired) lists the whole inbox: only the time window since
    // the last successful scan is imported, and the dedupe keys make the overlap harmless.
    let since: string | undefined;
    if (delta.fullResync && start.mode === 'delta') {
      const window = planScanStart(mailbox, { ...loaded.state, deltaLink: undefined }, startedAt);
      if (window.mode === 'window') since = window.since;
      mode = 'window';
      deps.log.warn('mail scan fell back to a time window', { mailboxId, since, reason: delta.resyncReason });
    } else if (start.mode === 'window') since = start.since;

    if (start.mode !== 'baseline') {
      for (const item of delta.items) {
        const parsed = parseGraphMessage(item);
        if (!parsed.ok) {
          bump(counts, 'unreadable');
          deps.log.warn('mail scan skipped an unreadable message', { mailboxId, problems: parsed.problems });
          continue;
        }
        const message = parsed.value;
        if (isBeforeBaseline(message.receivedDateTime, loaded.state)) continue;
        if (since && message.receivedDateTime && Date.parse(message.receivedDateTime) < Date.parse(since)) continue;
        counts.messages = (counts.messages ?? 0) + 1;
        const result = await processMessage(ctx, message);
        tally(counts, result);
        if (result.kind !== 'final') holdCheckpoint = true;
        if (result.kind === 'retry') retry = true;
        if (!(result.kind === 'final' && result.outcome === 'alreadyDone')) {
          fates.push({
            messageId: message.id,
            subject: message.subject ?? '',
            fate: result.fate,
            ...('ticketId' in result && result.ticketId !== undefined ? { ticketId: result.ticketId } : {}),
          });
        }
      }
    } else {
      counts.baselineIgnored = delta.items.length;
    }
    const next = { ...ctx.state };
    if (start.mode === 'baseline') next.baselineAt = start.baselineAt;
    if (!holdCheckpoint) {
      next.deltaLink = delta.deltaLink;
      next.lastSuccessfulScanAt = startedAt.toISOString();
    }
    if (!holdCheckpoint || ctx.foldersChanged) await save(deps, mailboxId, next, loaded.etag);
  } catch (error) {
    if (!isServiceError(error)) throw error;
    if (ctx.foldersChanged) await save(deps, mailboxId, ctx.state, loaded.etag).catch(() => undefined);
    const explained = explainFailure(error, { operation: 'read', mailbox: mailbox.address });
    deps.log.warn('mail scan failed', { mailboxId, error: explained.message });
    return record(deps, startedAt, {
      mailboxId,
      status: 'failed',
      mode,
      counts,
      fates,
      error: explained.message,
      retry: false,
    });
  }
  const failed = (counts.failed ?? 0) + (counts.retry ?? 0);
  const status = failed > 0 ? 'partial' : 'succeeded';
  return record(deps, startedAt, { mailboxId, status, mode, counts, fates, retry });
}

async function save(
  deps: Pick<Container, 'stores' | 'log'>,
  mailboxId: string,
  state: Parameters<typeof saveMailboxState>[2],
  etag: string | null,
): Promise<void> {
  try {
    await saveMailboxState(deps.stores.checkpoints, mailboxId, state, etag);
  } catch (error) {
    // Another scan of this mailbox saved first; its deltaLink is as good (the dedupe keys cover any overlap).
    if (!(error instanceof ConcurrencyError)) throw error;
    deps.log.info('mail scan checkpoint already advanced by a concurrent scan', { mailboxId });
  }
}

function tally(counts: Record<string, number>, result: MessageResult): void {
  bump(counts, result.kind === 'final' ? result.outcome : result.kind);
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

async function record(
  deps: Pick<Container, 'stores' | 'now'>,
  startedAt: Date,
  report: ScanReport,
): Promise<ScanReport> {
  const { mailboxId, status, mode, counts, fates, error } = report;
  if (status === 'skipped') return report;
  // Consecutive scans that found nothing share one run row (the newest), so a quiet mailbox does not add 1,440
  // rows a day; the row says how many idle scans it stands for and when the last one ran.
  const idle = status === 'succeeded' && mode === 'delta' && Object.values(counts).every((n) => n === 0);
  const kind = scanRunKind(mailboxId);
  const [latest] = idle ? await deps.stores.runs.list(kind, { top: 1 }) : [];
  const previousIdle = latest && (latest.summary as { idleScans?: number } | undefined)?.idleScans;
  await deps.stores.runs.upsert({
    kind,
    runId: previousIdle ? latest.runId : newestFirstKey(startedAt, randomUUID().slice(0, 8)),
    status,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
    counts,
    summary: idle ? { mode, fates: [], idleScans: (previousIdle ?? 0) + 1 } : { mode, fates: fates.slice(0, 200) },
    ...(error ? { error } : {}),
  });
  return report;
}
