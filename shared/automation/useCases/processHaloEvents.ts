import type { Container } from '../../app/container';
import { describePoisonedMessage } from '../../runtime/poison';
import { MessageValidationError, QUEUES } from '../../storage';
import { type HaloEventsMessage, haloEventsQueue, isPollRequest } from './haloEventsQueue';
import { type EventOutcome, handleHaloEvent } from './handleHaloEvent';
import { rememberFailure } from './lastError';
import { type PollOutcome, pollScriptQueue } from './pollScriptQueue';

export type HaloEventsOutcome =
  | { readonly kind: 'event'; readonly outcome: EventOutcome }
  | { readonly kind: 'poll'; readonly outcome: PollOutcome }
  /** Not a message this queue carries: recorded in queueFailures (retrying would not make it valid). */
  | { readonly kind: 'invalid'; readonly reason: string };

/** The key a `halo-events` message's last error is remembered under (see lastError.ts). */
export function messageKey(message: HaloEventsMessage): string {
  return isPollRequest(message) ? `poll:${message.pollScriptQueue.requestedAt}` : message.deliveryId;
}

/** The `halo-events` consumer: a webhook event, or a request to poll Halo's script queue. */
export async function processHaloEventsMessage(deps: Container, raw: unknown): Promise<HaloEventsOutcome> {
  let message: HaloEventsMessage;
  try {
    message = await haloEventsQueue(deps.storage).decode(raw);
  } catch (error) {
    if (!(error instanceof MessageValidationError)) throw error;
    const described = describePoisonedMessage(QUEUES.haloEvents, raw, undefined, deps.settings.secretValues);
    await deps.stores.queueFailures.record({
      queue: QUEUES.haloEvents,
      message: described.preview,
      reason: error.message,
    });
    deps.log.warn('halo-events message rejected', { reason: error.message });
    return { kind: 'invalid', reason: error.message };
  }
  try {
    if (isPollRequest(message)) {
      return { kind: 'poll', outcome: await pollScriptQueue(deps, new Date(message.pollScriptQueue.requestedAt)) };
    }
    return { kind: 'event', outcome: await handleHaloEvent(deps, message) };
  } catch (error) {
    await rememberFailure(deps, QUEUES.haloEvents, messageKey(message), error);
    throw error;
  }
}
