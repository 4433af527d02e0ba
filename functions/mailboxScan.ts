import { handleScanMessage, isIdle, recordPoisonedScan, type ScanReport } from '../shared/mail/useCases';
import { defineQueue } from '../shared/runtime/registry';
import { QUEUES } from '../shared/storage';

/**
 * One scan of one mailbox per message. A malformed message or an unknown mailbox is recorded and not retried; a
 * message that keeps failing leaves a failed run for its mailbox.
 */
export const mailboxScan = defineQueue({
  name: 'mailboxScan',
  queueName: QUEUES.mailboxScan,
  handler: async (message, _context, deps) => {
    const outcome = await handleScanMessage(deps, message);
    if (outcome.kind === 'rejected') return;
    const { report } = outcome;
    // A scan that found no mail is the usual minute: at debug, so the log shows the scans that did something.
    const level = isIdleScan(report) ? 'debug' : 'info';
    deps.log[level]('mailbox scanned', { mailboxId: report.mailboxId, status: report.status, counts: report.counts });
  },
  poisonHandler: async (message, context, deps) => {
    await recordPoisonedScan(deps, message, context.triggerMetadata);
  },
});

/** A successful scan that saw no message at all. */
export function isIdleScan(report: Pick<ScanReport, 'status' | 'counts'>): boolean {
  return report.status === 'succeeded' && isIdle(report.counts);
}
