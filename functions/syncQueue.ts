import { defineQueue } from '../shared/app/functions';
import { inBulkLane, markSourceFailed, SYNCS, sourceMessageSchema, syncSource } from '../shared/sync';

/**
 * One queue trigger per sync (`tenant-sync`, ...): one message = one source of a run; a message given up on (its
 * last delivery failed) marks that source failed with the last error. Sync sources draw on Halo's bulk lane.
 */
export const syncQueues = SYNCS.map((sync) =>
  defineQueue({
    name: sync.functionName,
    queueName: sync.queue,
    schema: sourceMessageSchema(sync),
    handler: async (message, deps, delivery) => {
      await syncSource(inBulkLane(deps), sync, message, { dequeueCount: delivery.dequeueCount });
    },
    onGiveUp: (message, failure, deps) => markSourceFailed(deps, sync, message, failure),
  }),
);
