import { randomUUID } from 'node:crypto';
import type { Container } from '../../app/container';
import { DeltaResyncRequiredError, type MessagesDeltaPage } from '../../graph';
import { ConcurrencyError, newestFirstKey } from '../../storage';
import { MESSAGE_SELECT_FIELDS } from '../graphMessage';
import { planScanStart, resyncRound, type ScanMode, type ScanRound } from '../scanWindow';
import { findMailbox, ownMailboxAddresses } from './mailboxes';
import { type LoadedState, loadMailboxState, saveMailboxState } from './mailboxState';
import { explainFailure, isServiceError } from './mailErrors';
import { folderId, type ScanContext } from './scanContext';
import { acquireScanLease, type ScanLease, ScanLeaseLostError } from './scanLease';
import { scanPage } from './scanPage';
import { clearScanPending, requestScan } from './scanQueue';
import { type ScanFate, ScanTally } from './scanTally';

export type { ScanMode } from '../scanWindow';

export interface ScanReport {
  readonly mailboxId: string;
  /**
   * `recovering`: a message's Halo write is in doubt (or its scan stopped part-way); its fate says since when.
   * `skipped`: nothing was scanned (another scan of the mailbox is running, or the mailbox is unknown).
   */
  readonly status: 'succeeded' | 'recovering' | 'partial' | 'failed' | 'skipped';
  readonly mode?: ScanMode;
  readonly counts: Record<string, number>;
  readonly fates: ScanFate[];
  readonly error?: string;
  /** Some message stopped part-way for a reason worth retrying: the queue should deliver the scan again. */
  readonly retry: boolean;
  /** The time budget ran out: the round goes on in the next invocation (already queued). */
  readonly continued?: boolean;
  /** Another scan of this mailbox is running; it scans again when it is done. */
  readonly coalesced?: boolean;
}

export type ScanDeps = Pick<Container, 'config' | 'halo' | 'graph' | 'stores' | 'log' | 'now' | 'settings' | 'storage'>;

export function scanRunKind(mailboxId: string): string {
  return `mailbox-scan:${mailboxId}`;
}

/**
 * One scan of one mailbox, never two at a time (a lease; an overlapping trigger makes the running scan go once
 * more instead). Reads the inbox delta page by page with `Prefer: odata.maxpagesize`, and saves where it is after
 * every page, so an interrupted scan resumes at the page it stopped on. Stops at its time budget and queues its
 * own continuation. Each new message is processed exactly once; the deltaLink is saved when the round is done.
 * Writes a run record (status, counts, fates, a plain-words error) for every scan.
 */
export async function scanMailbox(deps: ScanDeps, mailboxId: string): Promise<ScanReport> {
  const startedAt = deps.now();
  const mailbox = findMailbox(deps.config, mailboxId);
  const empty = { counts: {}, fates: [], retry: false };
  if (!mailbox) return { mailboxId, status: 'skipped', ...empty, error: `mailbox "${mailboxId}" is not configured` };
  if (!deps.graph) {
    const error = 'Microsoft Graph is not configured (GRAPH_CLIENT_ID / GRAPH_HOME_TENANT_ID)';
    return record(deps, startedAt, { mailboxId, status: 'failed', ...empty, error });
  }
  const lease = await acquireScanLease(deps, mailboxId);
  if (lease === 'busy') {
    deps.log.info('mail scan coalesced: another scan of this mailbox is running and will scan again', { mailboxId });
    return { mailboxId, status: 'skipped', ...empty, coalesced: true };
  }
  let report: ScanReport;
  let rerun = false;
  try {
    await clearScanPending(deps, mailboxId);
    const loaded = await loadMailboxState(deps.stores.checkpoints, mailboxId);
    const ctx: ScanContext = {
      deps,
      mailbox,
      graph: deps.graph.forTenant(mailbox.tenantId),
      state: loaded.state,
      ownAddresses: ownMailboxAddresses(deps.config),
      users: new Map(),
      moves: new Map(),
      foldersChanged: false,
    };
    report = await runRounds(deps, ctx, lease, loaded, startedAt);
  } finally {
    rerun = await lease.release().catch((error: unknown) => {
      deps.log.warn('mail scan lease not released; it expires on its own', { mailboxId, error: String(error) });
      return false;
    });
  }
  if (rerun || report.continued)
    await requestScan(deps, { mailboxId, reason: report.continued ? 'continue' : 'rerun' });
  return record(deps, startedAt, report);
}

async function runRounds(
  deps: ScanDeps,
  ctx: ScanContext,
  lease: ScanLease,
  loaded: LoadedState,
  startedAt: Date,
): Promise<ScanReport> {
  const { mailbox } = ctx;
  const mailboxId = mailbox.id;
  const budgetMs = deps.settings.MAIL_SCAN_BUDGET_SECONDS * 1000;
  const outOfTime = () => deps.now().getTime() - startedAt.getTime() >= budgetMs;
  const saver = checkpointSaver(deps, mailboxId, loaded.etag);
  const start = planScanStart(mailbox, loaded.state, startedAt);
  let round: ScanRound = start.round;
  const state = ctx.state;
  state.round = round;
  if (start.baselineAt) state.baselineAt = start.baselineAt;
  const tally = new ScanTally();
  let retry = false;
  let continued = false;
  let resynced = false;
  let pages = 0;
  try {
    const inbox = await folderId(ctx, 'inbox');
    for (;;) {
      if (outOfTime()) {
        continued = true;
        break;
      }
      await lease.keep();
      let page: MessagesDeltaPage;
      try {
        page = await ctx.graph.messagesDeltaPage(mailbox.address, inbox, {
          ...(round.link ? { link: round.link } : {}),
          ...(round.since ? { receivedSince: round.since } : {}),
          select: MESSAGE_SELECT_FIELDS,
          maxPageSize: deps.settings.MAIL_SCAN_PAGE_SIZE,
        });
      } catch (error) {
        // Graph no longer knows the link (token expired, state reset): a fresh round over a time window.
        if (!(error instanceof DeltaResyncRequiredError) || !round.link || resynced) throw error;
        resynced = true;
        deps.log.warn('mail scan restarts its delta round', { mailboxId, reason: error.reason });
        delete state.deltaLink;
        round = resyncRound(mailbox, state, deps.now());
        state.round = round;
        tally.bump('resync');
        continue;
      }
      pages++;
      const outcome = await scanPage(ctx, page, tally, {
        lease,
        outOfTime,
        ...(round.since ? { since: round.since } : {}),
      });
      retry ||= outcome.retry;
      if (!outcome.complete) {
        continued = outcome.outOfTime;
        await saver.save(state);
        break;
      }
      round = { ...round, pages: round.pages + 1 };
      if (page.nextLink) {
        round.link = page.nextLink;
        state.round = round;
        await saver.save(state);
        continue;
      }
      if (!page.deltaLink) throw new Error('the inbox delta page had neither @odata.nextLink nor @odata.deltaLink');
      state.deltaLink = page.deltaLink;
      state.lastSuccessfulScanAt = round.startedAt;
      delete state.round;
      await saver.save(state);
      break;
    }
  } catch (error) {
    if (error instanceof ScanLeaseLostError) {
      deps.log.warn('mail scan stopped: its lease was taken over', { mailboxId });
      return {
        mailboxId,
        status: 'partial',
        mode: round.mode,
        counts: tally.counts,
        fates: tally.fates,
        retry: false,
        error: error.message,
      };
    }
    if (!isServiceError(error)) throw error;
    if (ctx.foldersChanged) await saver.save(state).catch(() => undefined);
    const explained = explainFailure(error, { operation: 'read', mailbox: mailbox.address });
    deps.log.warn('mail scan failed', { mailboxId, error: explained.message });
    return {
      mailboxId,
      status: 'failed',
      mode: round.mode,
      counts: tally.counts,
      fates: tally.fates,
      error: explained.message,
      retry: false,
    };
  }
  tally.bump('pages', pages);
  const failed = (tally.counts.failed ?? 0) + (tally.counts.retry ?? 0) + (tally.counts.moveFailed ?? 0);
  return {
    mailboxId,
    status: failed > 0 ? 'partial' : (tally.counts.recovering ?? 0) > 0 ? 'recovering' : 'succeeded',
    mode: round.mode,
    counts: tally.counts,
    fates: tally.fates,
    retry,
    ...(continued ? { continued } : {}),
  };
}

/** Saves the scan state after each page, guarded by the row's ETag (the lease makes a conflict a lost lease). */
function checkpointSaver(deps: ScanDeps, mailboxId: string, initialEtag: string | null) {
  let etag = initialEtag;
  return {
    async save(state: Parameters<typeof saveMailboxState>[2]): Promise<void> {
      try {
        etag = await saveMailboxState(deps.stores.checkpoints, mailboxId, state, etag);
      } catch (error) {
        if (error instanceof ConcurrencyError) throw new ScanLeaseLostError(mailboxId);
        throw error;
      }
    },
  };
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
  const idle = status === 'succeeded' && mode === 'delta' && isIdle(counts);
  const kind = scanRunKind(mailboxId);
  const [latest] = idle ? await deps.stores.runs.list(kind, { top: 1 }) : [];
  const previousIdle = latest && (latest.summary as { idleScans?: number } | undefined)?.idleScans;
  const continued = report.continued ? { continued: 'the time budget ran out; the next invocation goes on' } : {};
  await deps.stores.runs.upsert({
    kind,
    runId: previousIdle ? latest.runId : newestFirstKey(startedAt, randomUUID().slice(0, 8)),
    status,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
    counts,
    summary: idle
      ? { mode, fates: [], idleScans: (previousIdle ?? 0) + 1 }
      : { mode, fates: fates.slice(0, 200), ...continued },
    ...(error ? { error } : {}),
  });
  return report;
}

/** A scan that read its pages and found nothing to do. */
export function isIdle(counts: Readonly<Record<string, number>>): boolean {
  return Object.entries(counts).every(([key, count]) => key === 'pages' || count === 0);
}
