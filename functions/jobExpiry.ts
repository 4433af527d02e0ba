import { defineTimer } from '../shared/app/functions';
import { expireOverdueJobs } from '../shared/automation/useCases';

/**
 * Every five minutes: jobs no worker picked up before they expired become `expired`, and jobs whose worker went
 * silent past their timeout become `interrupted`, each with a note on the ticket.
 */
export const jobExpiry = defineTimer({
  name: 'jobExpiry',
  schedule: '0 */5 * * * *',
  handler: async (_timer, _context, deps) => {
    const outcome = await expireOverdueJobs(deps);
    if (outcome.expired.length + outcome.interrupted.length > 0) deps.log.info('overdue jobs closed', { outcome });
  },
});
