import type { Container } from '../../app/container';
import { describePoisonedMessage } from '../../runtime/poison';
import { MessageValidationError, newestFirstKey, QUEUES } from '../../storage';
import { findMailbox } from './mailboxes';
import { type ScanReport, scanMailbox, scanRunKind } from './scanMailbox';
import { clearScanPending, type MailboxScanMessage, mailboxScanMessageSchema, mailboxScanQueue } from './scanQueue';
import { maintainSubscriptions, reauthorizeSubscription } from './subscriptions';

/** Thrown so that the queue delivers the scan again (part-way messages resume; nothing is redone). */
export class ScanRetryError extends Error {
  constructor(report: ScanReport) {
    const stuck = report.fates.filter((f) => f.fate.includes('will retry')).length;
    super(`mailbox ${report.mailboxId}: ${stuck} message(s) stopped part-way and will be retried`);
    this.name = 'ScanRetryError';
  }
}

export type ScanMessageOutcome =
  | { kind: 'scanned'; report: ScanReport }
  /** Retrying cannot help: the message was recorded as a queue failure with the reason, and not retried. */
  | { kind: 'rejected'; reason: string };

/**
 * What the `mailbox-scan` queue trigger does with a message: a malformed one, or one naming a mailbox the config
 * does not have (any more), is recorded as a queue failure with the reason and not retried; a valid one is run.
 */
export async function handleScanMessage(deps: Container, raw: unknown): Promise<ScanMessageOutcome> {
  let message: MailboxScanMessage;
  try {
    message = await mailboxScanQueue(deps.storage).decode(raw);
  } catch (error) {
    if (!(error instanceof MessageValidationError)) throw error;
    return reject(deps, raw, `invalid mailbox-scan message: ${error.message}`);
  }
  if (!findMailbox(deps.config, message.mailboxId)) {
    return reject(
      deps,
      raw,
      `mailbox "${message.mailboxId}" is not configured (removed from the integration config?); the scan was dropped`,
    );
  }
  return { kind: 'scanned', report: await runScanMessage(deps, message) };
}

async function reject(deps: Container, raw: unknown, reason: string): Promise<ScanMessageOutcome> {
  const poisoned = describePoisonedMessage(QUEUES.mailboxScan, raw, undefined, deps.settings.secretValues);
  await deps.stores.queueFailures.record({ queue: QUEUES.mailboxScan, message: poisoned.preview, reason });
  deps.log.error('mailbox-scan message rejected', { reason });
  return { kind: 'rejected', reason };
}

/** The `mailbox-scan` consumer: (re)subscribe when asked, then one scan. */
export async function runScanMessage(deps: Container, message: MailboxScanMessage): Promise<ScanReport> {
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

/** A scan message the host gave up on: a failed run for its mailbox and a queue-failure record, both visible. */
export async function recordPoisonedScan(deps: Container, message: unknown, triggerMetadata: unknown): Promise<void> {
  const poisoned = describePoisonedMessage(QUEUES.mailboxScan, message, triggerMetadata, deps.settings.secretValues);
  const parsed = mailboxScanMessageSchema.safeParse(message);
  const mailboxId = parsed.success ? parsed.data.mailboxId : undefined;
  const reason = `mailbox scan failed repeatedly and was moved to ${poisoned.poisonQueue}; the next timer scan tries again`;
  await deps.stores.queueFailures.record({
    queue: QUEUES.mailboxScan,
    message: poisoned.preview,
    reason,
    messageId: poisoned.messageId,
    dequeueCount: poisoned.dequeueCount,
  });
  if (!mailboxId) return;
  await clearScanPending(deps, mailboxId);
  const at = deps.now();
  await deps.stores.runs.upsert({
    kind: scanRunKind(mailboxId),
    runId: newestFirstKey(at, `poison-${poisoned.messageId}`),
    status: 'failed',
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    counts: {},
    summary: { poisoned },
    error: reason,
  });
  deps.log.error('mailbox scan message poisoned', { mailboxId, messageId: poisoned.messageId });
}
