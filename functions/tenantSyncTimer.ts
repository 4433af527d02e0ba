import { defineTimer } from '../shared/runtime/registry';
import { SCHEDULE_CHECK_NCRONTAB, startScheduledTenantSync } from '../shared/sync/engine';

/** Every 5 minutes: starts a tenant sync run when the configured `tenantSync.schedule` has come due. */
export const tenantSyncTimer = defineTimer({
  name: 'tenantSyncTimer',
  schedule: SCHEDULE_CHECK_NCRONTAB,
  handler: async (_timer, _context, deps) => {
    const outcome = await startScheduledTenantSync(deps);
    if (outcome.started && !outcome.result.ok)
      throw new Error(`scheduled tenant sync did not start: ${outcome.result.message}`);
  },
});
