import type { MailboxConfig } from '../config/integration/mailboxes';

export const DEFAULT_OVERLAP_MINUTES = 15;

export type ScanMode = 'baseline' | 'initial' | 'delta' | 'window';

/** One delta round of a mailbox's inbox: how it started and where it goes on. Survives across invocations. */
export interface ScanRound {
  /**
   * `baseline`: the first round of a `startFrom: 'now'` mailbox, only mail received since then (a few requests
   * however full the inbox is); `initial`: the whole inbox (`importExisting`); `delta`: the changes since the
   * stored deltaLink; `window`: a fresh round over the mail received since a time (after Graph dropped the token).
   */
  mode: ScanMode;
  startedAt: string;
  /** The `receivedDateTime ge` bound of a baseline or window round. */
  since?: string;
  /** The next page: a nextLink, or the deltaLink a delta round starts from; absent = the round's first request. */
  link?: string;
  /** Pages read so far in this round. */
  pages: number;
}

/** What the scanner keeps per mailbox between scans (the checkpoints table). */
export interface MailboxCheckpoint {
  deltaLink?: string;
  /** With `startFrom: 'now'`: when the first scan ran. Mail received before it is never imported. */
  baselineAt?: string;
  lastSuccessfulScanAt?: string;
  /** A round that has not reached its deltaLink yet (interrupted, or stopped at the time budget). */
  round?: ScanRound;
}

export interface ScanStart {
  readonly round: ScanRound;
  /** The round was already under way: this scan continues it. */
  readonly resumed: boolean;
  /** Set when this scan starts the baseline of a `startFrom: 'now'` mailbox. */
  readonly baselineAt?: string;
}

/**
 * How the next scan of a mailbox starts: an unfinished round goes on where it stopped; otherwise a delta round
 * from the stored deltaLink. Without one, the first scan of a `startFrom: 'now'` mailbox is a baseline round
 * over the mail received from now on, `importExisting` walks the whole inbox, and after a lost delta token a
 * window round covers the time since the last successful scan minus an overlap (de-duplication by
 * internetMessageId makes the overlap harmless), never reaching back before the baseline.
 */
export function planScanStart(
  mailbox: Pick<MailboxConfig, 'startFrom'>,
  checkpoint: MailboxCheckpoint | undefined,
  now: Date,
  overlapMinutes: number = DEFAULT_OVERLAP_MINUTES,
): ScanStart {
  if (checkpoint?.round) return { round: checkpoint.round, resumed: true };
  const startedAt = now.toISOString();
  if (checkpoint?.deltaLink)
    return { round: { mode: 'delta', startedAt, link: checkpoint.deltaLink, pages: 0 }, resumed: false };
  const lastScan = checkpoint?.lastSuccessfulScanAt ?? checkpoint?.baselineAt;
  if (lastScan === undefined) {
    if (mailbox.startFrom === 'importExisting')
      return { round: { mode: 'initial', startedAt, pages: 0 }, resumed: false };
    const since = fallbackWindowStart(startedAt, now, 0);
    return { round: { mode: 'baseline', startedAt, since, pages: 0 }, resumed: false, baselineAt: startedAt };
  }
  return {
    round: {
      mode: 'window',
      startedAt,
      since: windowSince(mailbox, checkpoint ?? {}, lastScan, now, overlapMinutes),
      pages: 0,
    },
    resumed: false,
  };
}

/** The round that replaces one whose link Graph no longer accepts: a window over the time since the last scan. */
export function resyncRound(
  mailbox: Pick<MailboxConfig, 'startFrom'>,
  checkpoint: MailboxCheckpoint,
  now: Date,
  overlapMinutes: number = DEFAULT_OVERLAP_MINUTES,
): ScanRound {
  const lastScan = checkpoint.lastSuccessfulScanAt ?? checkpoint.baselineAt;
  const since =
    lastScan === undefined && mailbox.startFrom === 'importExisting'
      ? undefined
      : windowSince(mailbox, checkpoint, lastScan, now, overlapMinutes);
  return {
    mode: since === undefined ? 'initial' : 'window',
    startedAt: now.toISOString(),
    ...(since ? { since } : {}),
    pages: 0,
  };
}

function windowSince(
  mailbox: Pick<MailboxConfig, 'startFrom'>,
  checkpoint: MailboxCheckpoint,
  lastScan: string | undefined,
  now: Date,
  overlapMinutes: number,
): string {
  const since = fallbackWindowStart(lastScan, now, overlapMinutes);
  const baseline = checkpoint.baselineAt ? Date.parse(checkpoint.baselineAt) : Number.NaN;
  if (mailbox.startFrom === 'now' && baseline > Date.parse(since))
    return fallbackWindowStart(checkpoint.baselineAt, now, 0);
  return since;
}

/**
 * The `receivedDateTime` lower bound for a window scan: the last successful scan minus `overlapMinutes`, and never
 * later than now minus the overlap (a clock ahead of ours must not skip mail). An unreadable or missing timestamp
 * falls back to now minus the overlap. Returned as an ISO string (UTC, whole seconds).
 */
export function fallbackWindowStart(
  lastSuccessfulScanIso: string | undefined,
  now: Date,
  overlapMinutes: number = DEFAULT_OVERLAP_MINUTES,
): string {
  if (!(overlapMinutes >= 0)) throw new RangeError('overlapMinutes must be 0 or more');
  const last = lastSuccessfulScanIso === undefined ? Number.NaN : Date.parse(lastSuccessfulScanIso);
  const anchor = Number.isNaN(last) ? now.getTime() : Math.min(last, now.getTime());
  const start = new Date(anchor - overlapMinutes * 60_000);
  start.setUTCMilliseconds(0);
  return start.toISOString().replace('.000Z', 'Z');
}

/** The delta `$filter` for a window scan. */
export function receivedSinceFilter(sinceIso: string): string {
  return `receivedDateTime ge ${sinceIso}`;
}

/**
 * Whether a message from a delta page predates the baseline of a `startFrom: 'now'` mailbox. Delta also returns
 * old messages that merely changed (read, flagged); those were in the inbox before we started and are skipped.
 */
export function isBeforeBaseline(
  receivedDateTime: string | null | undefined,
  checkpoint: MailboxCheckpoint | undefined,
) {
  if (!checkpoint?.baselineAt || !receivedDateTime) return false;
  const received = Date.parse(receivedDateTime);
  return !Number.isNaN(received) && received < Date.parse(checkpoint.baselineAt);
}
