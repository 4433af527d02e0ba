import { defineQueue } from '../shared/app/functions';
import { handleJobResult, jobResultGivenUp, jobResultsMessageSchema } from '../shared/automation/useCases';
import { QUEUES } from '../shared/storage';

/** `job-results`: signed results from the hybrid workers → job status, ticket status or failure note. */
export const jobResults = defineQueue({
  name: 'jobResults',
  queueName: QUEUES.jobResults,
  schema: jobResultsMessageSchema,
  handler: async (message, deps) => {
    const outcome = await handleJobResult(deps, message);
    deps.log.info('job result handled', { outcome });
  },
  onGiveUp: (message, failure, deps) => jobResultGivenUp(deps, message, failure),
});
