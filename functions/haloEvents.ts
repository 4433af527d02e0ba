import { haloEventPoisoned, processHaloEventsMessage } from '../shared/automation/useCases';
import { defineQueue } from '../shared/runtime/registry';
import { QUEUES } from '../shared/storage';

/** `halo-events`: a Halo webhook event (scripts to run, agent replies), or a request to poll Halo's script queue. */
export const haloEvents = defineQueue({
  name: 'haloEvents',
  queueName: QUEUES.haloEvents,
  handler: async (message, _context, deps) => {
    const result = await processHaloEventsMessage(deps, message);
    deps.log.info('halo-events message handled', { result });
  },
  poisonHandler: (message, context, deps) => haloEventPoisoned(deps, message, context.triggerMetadata),
});
