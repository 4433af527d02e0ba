import { readQueueTriggerMetadata } from '../../runtime/poison';
import { MessageValidationError, typedQueue } from '../../storage';
import { inBulkLane, type SyncDefinition, type SyncDeps } from './definition';
import { sourceMessageSchema } from './messages';
import { type SyncSourceResult, syncSource } from './syncTenant';

/**
 * What a sync's queue trigger does with a message: decode and validate it (an invalid one is recorded with the
 * reason and not retried: retrying cannot fix it), then sync that source.
 */
export async function receiveSourceMessage(
  deps: SyncDeps,
  sync: SyncDefinition,
  message: unknown,
  triggerMetadata: unknown,
): Promise<SyncSourceResult | { status: 'invalid'; reason: string }> {
  let decoded: Awaited<ReturnType<ReturnType<typeof queueOf>['decode']>>;
  try {
    decoded = await queueOf(deps, sync).decode(message);
  } catch (error) {
    if (!(error instanceof MessageValidationError)) throw error;
    await deps.stores.queueFailures.record({
      queue: sync.queue,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      reason: error.message,
    });
    deps.log.error(`invalid ${sync.queue} message`, { error: error.message });
    return { status: 'invalid', reason: error.message };
  }
  const { dequeueCount } = readQueueTriggerMetadata(triggerMetadata);
  return syncSource(inBulkLane(deps), sync, decoded, { dequeueCount });
}

function queueOf(deps: SyncDeps, sync: SyncDefinition) {
  return typedQueue(deps.storage, sync.queue, sourceMessageSchema(sync));
}
