import type { MailboxConfig } from '../config/integration/mailboxes';

export const DEFAULT_OVERLAP_MINUTES = 15;

/** What the scanner keeps per mailbox between scans (the checkpoints table). */
export interface MailboxCheckpoint {
  deltaLink?: string;
  /** With `startFrom: 'now'`: when the first scan ran. Mail received before it is never imported. */
  baselineAt?: string;
  lastSuccessfulScanAt?: string;
}

export type ScanStart =
  /** First scan with `startFrom: 'now'`: page through the delta to get a deltaLink, import nothing. */
  | { mode: 'baseline'; importMessages: false; baselineAt: string }
  /** First scan with `startFrom: 'importExisting'`: a full delta round, importing everything in the inbox. */
  | { mode: 'initial'; importMessages: true }
  | { mode: 'delta'; deltaLink: string; importMessages: true }
  /** The deltaLink is gone or expired: a new delta with `$filter=receivedDateTime ge {since}`. */
  | { mode: 'window'; since: string; importMessages: true };

/**
 * How the next scan of a mailbox starts. After a lost delta token the scan covers the time since the last
 * successful scan minus an overlap (de-duplication by internetMessageId makes the overlap harmless), but never
 * reaches back before the baseline of a `startFrom: 'now'` mailbox.
 */
export function planScanStart(
  mailbox: Pick<MailboxConfig, 'startFrom'>,
  checkpoint: MailboxCheckpoint | undefined,
  now: Date,
  overlapMinutes: number = DEFAULT_OVERLAP_MINUTES,
): ScanStart {
  if (checkpoint?.deltaLink) return { mode: 'delta', deltaLink: checkpoint.deltaLink, importMessages: true };
  const lastScan = checkpoint?.lastSuccessfulScanAt ?? checkpoint?.baselineAt;
  if (lastScan === undefined) {
    return mailbox.startFrom === 'now'
      ? { mode: 'baseline', importMessages: false, baselineAt: now.toISOString() }
      : { mode: 'initial', importMessages: true };
  }
  let since = fallbackWindowStart(lastScan, now, overlapMinutes);
  const baseline = checkpoint?.baselineAt ? Date.parse(checkpoint.baselineAt) : Number.NaN;
  if (mailbox.startFrom === 'now' && baseline > Date.parse(since)) since = new Date(baseline).toISOString();
  return { mode: 'window', since, importMessages: true };
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
