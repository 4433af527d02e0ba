import { defineTimer } from '../shared/app/functions';
import { SCHEDULE_CHECK_NCRONTAB, SYNCS, startScheduledRuns } from '../shared/sync';

/** Every 5 minutes: starts each sync whose configured schedule has come due (or whose due start has not started yet). */
export const syncTimer = defineTimer({
  name: 'syncTimer',
  schedule: SCHEDULE_CHECK_NCRONTAB,
  handler: async (_timer, _context, deps) => {
    await startScheduledRuns(deps, SYNCS);
  },
});
