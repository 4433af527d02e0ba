import type { Container } from '../../app/container';
import { MessageRejected, newestFirstKey, type QueueFailure } from '../../storage';
import { findMailbox } from './mailboxes';
import { type ScanReport, scanMailbox, scanRunKind } from './scanMailbox';
import { clearScanPending, type MailboxScanMessage } from './scanQueue';
import { maintainSubscriptions, reauthorizeSubscription } from './subscriptions';

/** Thrown so that the queue delivers the scan again (part-way messages resume; nothing is redone). */
export class ScanRetryError extends Error {
  constructor(report: ScanReport) {
    const stuck = report.fates.filter((f) => f.fate.includes('will retry')).length;
    super(`mailbox ${report.mailboxId}: ${stuck} message(s) stopped part-way and will be retried`);
    this.name = 'ScanRetryError';
  }
}

/**
 * The `mailbox-scan` consumer: (re)subscribe when asked, then one scan. A message naming a mailbox the config does
 * not have (any more) is rejected: recorded as a queue failure with the reason, and not retried.
 */
export async function runScanMessage(deps: Container, message: MailboxScanMessage): Promise<ScanReport> {
  if (!findMailbox(deps.config, message.mailboxId)) {
    throw new MessageRejected(
      `mailbox "${message.mailboxId}" is not configured (removed from the integration config?); the scan was dropped`,
    );
  }
  if (message.resubscribe) {
    const maintained = await maintainSubscriptions(deps, { only: [message.mailboxId] });
    if (maintained.failures.length > 0)
      deps.log.warn('resubscribe failed; the maintenance timer tries again', { failures: maintained.failures });
  }
  if (message.reauthorize) await reauthorizeSubscription(deps, message.mailboxId, message.reauthorize);
  const report = await scanMailbox(deps, message.mailboxId);
  if (report.retry) throw new ScanRetryError(report);
  return report;
}

/**
 * A scan message that was given up on (already recorded as a queue failure): a failed run for its mailbox, so that
 * the mailbox's status shows it, and its "scan queued" marker cleared so that the next timer scan is not held back.
 */
export async function recordPoisonedScan(
  deps: Container,
  message: MailboxScanMessage,
  failure: QueueFailure,
): Promise<void> {
  const { mailboxId } = message;
  await clearScanPending(deps, mailboxId);
  const at = deps.now();
  const error = `mailbox scan failed repeatedly (${failure.reason}); the next timer scan tries again`;
  await deps.stores.runs.upsert({
    kind: scanRunKind(mailboxId),
    runId: newestFirstKey(new Date(failure.failedAt), `poison-${failure.id}`),
    status: 'failed',
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    counts: {},
    summary: { queueFailure: { queue: failure.queue, id: failure.id, kind: failure.kind } },
    error,
  });
  deps.log.error('mailbox scan message given up on', { mailboxId, failureId: failure.id });
}
