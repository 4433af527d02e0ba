import { defineQueue } from '../shared/app/functions';
import {
  isIdle,
  mailboxScanMessageSchema,
  recordPoisonedScan,
  runScanMessage,
  type ScanReport,
} from '../shared/mail/useCases';
import { QUEUES } from '../shared/storage';

/**
 * One scan of one mailbox per message. A malformed message or an unknown mailbox is recorded and not retried; a
 * message that keeps failing leaves a failed run for its mailbox.
 */
export const mailboxScan = defineQueue({
  name: 'mailboxScan',
  queueName: QUEUES.mailboxScan,
  schema: mailboxScanMessageSchema,
  handler: async (message, deps) => {
    const report = await runScanMessage(deps, message);
    // A scan that found no mail is the usual minute: at debug, so the log shows the scans that did something.
    const level = isIdleScan(report) ? 'debug' : 'info';
    deps.log[level]('mailbox scanned', { mailboxId: report.mailboxId, status: report.status, counts: report.counts });
  },
  onGiveUp: (message, failure, deps) => recordPoisonedScan(deps, message, failure),
});

/** A successful scan that saw no message at all. */
export function isIdleScan(report: Pick<ScanReport, 'status' | 'counts'>): boolean {
  return report.status === 'succeeded' && isIdle(report.counts);
}
