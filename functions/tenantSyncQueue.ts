import { readQueueTriggerMetadata } from '../shared/runtime/poison';
import { defineQueue } from '../shared/runtime/registry';
import { MessageValidationError, QUEUES, typedQueue } from '../shared/storage';
import { markTenantFailed, syncTenant, tenantSyncMessageSchema } from '../shared/sync/engine';

/** One `tenant-sync` message = one tenant of a run; poison marks that tenant failed with the last error. */
export const tenantSync = defineQueue({
  name: 'tenantSync',
  queueName: QUEUES.tenantSync,
  handler: async (message, context, deps) => {
    let decoded: Awaited<ReturnType<ReturnType<typeof queue>['decode']>>;
    try {
      decoded = await queue(deps).decode(message);
    } catch (error) {
      if (!(error instanceof MessageValidationError)) throw error;
      // Retrying cannot fix it: keep the message with the reason, visibly, and do not retry.
      await deps.stores.queueFailures.record({
        queue: QUEUES.tenantSync,
        message: typeof message === 'string' ? message : JSON.stringify(message),
        reason: error.message,
      });
      deps.log.error('invalid tenant-sync message', { error: error.message });
      return;
    }
    const { dequeueCount } = readQueueTriggerMetadata(context.triggerMetadata);
    await syncTenant(deps, decoded, { dequeueCount });
  },
  poisonHandler: async (message, context, deps) => {
    await markTenantFailed(deps, message, context.triggerMetadata);
  },
});

function queue(deps: Parameters<typeof tenantSync.handler>[2]) {
  return typedQueue(deps.storage, QUEUES.tenantSync, tenantSyncMessageSchema);
}
