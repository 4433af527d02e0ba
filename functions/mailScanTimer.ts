import { defineTimer } from '../shared/app/functions';
import { requestScansOfAllMailboxes } from '../shared/mail/useCases';

/** Every minute: one `mailbox-scan` request per configured mailbox (coalesced with any already waiting). */
export const mailScanTimer = defineTimer({
  name: 'mailScanTimer',
  schedule: '0 * * * * *',
  handler: async (_timer, _context, deps) => {
    const { queued, coalesced } = await requestScansOfAllMailboxes(deps);
    if (queued.length + coalesced.length > 0) deps.log.debug('mailbox scans requested', { queued, coalesced });
  },
});
