import { defineTimer } from '../shared/app/functions';
import { applyRetention } from '../shared/retention';

/**
 * Daily at 03:30 UTC: deletes history rows past the retention windows (config `retention`): completed dedupe
 * keys, finished runs and jobs, the mail log and poison-message records. Logs counts per table, never row contents.
 */
export const stateRetention = defineTimer({
  name: 'stateRetention',
  schedule: '0 30 3 * * *',
  handler: async (_timer, _context, deps) => {
    const outcome = await applyRetention(deps);
    const deleted = Object.fromEntries(outcome.tables.map((t) => [t.table, t.deleted]));
    const remaining = outcome.tables.filter((t) => t.more).map((t) => t.table);
    const skipped = outcome.tables.reduce((sum, t) => sum + t.skipped, 0);
    const fields = { deleted, total: outcome.deleted, ...(skipped > 0 ? { skipped } : {}) };
    if (outcome.more)
      deps.log.warn('state retention: more expired rows remain for the next run', { ...fields, remaining });
    else deps.log.info('state retention applied', fields);
  },
});
