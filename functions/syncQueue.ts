import { defineQueue } from '../shared/runtime/registry';
import { markSourceFailed, receiveSourceMessage, SYNCS } from '../shared/sync';

/**
 * One queue trigger per sync (`tenant-sync`, ...): one message = one source of a run; a message the host gives up
 * on (`<queue>-poison`) marks that source failed with the last error.
 */
export const syncQueues = SYNCS.map((sync) =>
  defineQueue({
    name: sync.functionName,
    queueName: sync.queue,
    handler: async (message, context, deps) => {
      await receiveSourceMessage(deps, sync, message, context.triggerMetadata);
    },
    poisonHandler: async (message, context, deps) => {
      await markSourceFailed(deps, sync, message, context.triggerMetadata);
    },
  }),
);
