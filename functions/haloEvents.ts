import { defineQueue } from '../shared/app/functions';
import { haloEventGivenUp, haloEventsMessageSchema, processHaloEventsMessage } from '../shared/automation/useCases';
import { QUEUES } from '../shared/storage';

/** `halo-events`: a Halo webhook event (scripts to run, agent replies), or a request to poll Halo's script queue. */
export const haloEvents = defineQueue({
  name: 'haloEvents',
  queueName: QUEUES.haloEvents,
  schema: haloEventsMessageSchema,
  handler: async (message, deps) => {
    const result = await processHaloEventsMessage(deps, message);
    deps.log.info('halo-events message handled', { result });
  },
  onGiveUp: (message, failure, deps) => haloEventGivenUp(deps, message, failure),
});
