import { mailboxScanQueue, recordPoisonedScan, runScanMessage } from '../shared/mail/useCases';
import { defineQueue } from '../shared/runtime/registry';
import { QUEUES } from '../shared/storage';

/** One scan of one mailbox per message; a message that keeps failing leaves a failed run for its mailbox. */
export const mailboxScan = defineQueue({
  name: 'mailboxScan',
  queueName: QUEUES.mailboxScan,
  handler: async (message, _context, deps) => {
    const scan = await mailboxScanQueue(deps.storage).decode(message);
    const report = await runScanMessage(deps, scan);
    deps.log.info('mailbox scanned', { mailboxId: report.mailboxId, status: report.status, counts: report.counts });
  },
  poisonHandler: async (message, context, deps) => {
    await recordPoisonedScan(deps, message, context.triggerMetadata);
  },
});
