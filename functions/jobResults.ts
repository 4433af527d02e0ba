import { handleJobResult, jobResultPoisoned, rememberResultFailure } from '../shared/automation/useCases';
import { defineQueue } from '../shared/runtime/registry';
import { QUEUES } from '../shared/storage';

/** `job-results`: signed results from the hybrid workers → job status, ticket status or failure note. */
export const jobResults = defineQueue({
  name: 'jobResults',
  queueName: QUEUES.jobResults,
  handler: async (message, _context, deps) => {
    try {
      const outcome = await handleJobResult(deps, message);
      deps.log.info('job result handled', { outcome });
    } catch (error) {
      await rememberResultFailure(deps, message, error);
      throw error;
    }
  },
  poisonHandler: (message, context, deps) => jobResultPoisoned(deps, message, context.triggerMetadata),
});
