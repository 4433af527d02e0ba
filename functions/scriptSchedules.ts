import { defineTimer } from '../shared/app/functions';
import { runDueSchedules } from '../shared/automation/useCases';

/** Every minute: runs the configured script schedules that are due (last runs kept in the checkpoints table). */
export const scriptSchedules = defineTimer({
  name: 'scriptSchedules',
  schedule: '0 * * * * *',
  handler: async (_timer, _context, deps) => {
    if (deps.config.schedules.length === 0) return;
    const outcome = await runDueSchedules(deps);
    if (outcome.due.length > 0 || outcome.problems.length > 0) deps.log.info('schedules run', { outcome });
  },
});
