import { z } from 'zod';
import type { StorageConnection } from '../../storage';
import { QUEUES, typedQueue } from '../../storage';
import { type QueuedHaloEvent, queuedHaloEventSchema } from '../haloWebhook';

/** Asks the `halo-events` consumer to poll Halo's PowerShell queue (coalesced: one poll covers every earlier ask). */
export const scriptQueuePollRequestSchema = z
  .object({
    pollScriptQueue: z
      .object({
        requestedAt: z.iso.datetime({ offset: true }),
        trigger: z.enum(['webhook', 'manual']),
      })
      .strict(),
  })
  .strict();
export type ScriptQueuePollRequest = z.infer<typeof scriptQueuePollRequestSchema>;

/** A `halo-events` message: one webhook event (summariseForQueue), or a request to poll Halo's script queue. */
export const haloEventsMessageSchema = z.union([queuedHaloEventSchema, scriptQueuePollRequestSchema]);
export type HaloEventsMessage = z.infer<typeof haloEventsMessageSchema>;

export function haloEventsQueue(storage: StorageConnection) {
  return typedQueue(storage, QUEUES.haloEvents, haloEventsMessageSchema);
}

export function isPollRequest(message: HaloEventsMessage): message is ScriptQueuePollRequest {
  return 'pollScriptQueue' in message;
}

export type { QueuedHaloEvent };
