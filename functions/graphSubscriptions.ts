import { defineTimer } from '../shared/app/functions';
import { maintainSubscriptions } from '../shared/mail/useCases';

/**
 * Every 10 minutes: mailbox change-notification subscriptions created, renewed, cleaned up. Not runOnStartup: the
 * local runner fires such timers in every test stack, and the minute scans cover mail until the first run.
 */
export const graphSubscriptions = defineTimer({
  name: 'graphSubscriptions',
  schedule: '0 */10 * * * *',
  handler: async (_timer, _context, deps) => {
    const result = await maintainSubscriptions(deps);
    deps.log.info('graph subscriptions maintained', { ...result });
  },
});
