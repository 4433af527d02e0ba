import type { Container } from '../../app/container';
import { type HaloEventsMessage, isPollRequest } from './haloEventsQueue';
import { type EventOutcome, handleHaloEvent } from './handleHaloEvent';
import { type PollOutcome, pollScriptQueue } from './pollScriptQueue';

export type HaloEventsOutcome =
  | { readonly kind: 'event'; readonly outcome: EventOutcome }
  | { readonly kind: 'poll'; readonly outcome: PollOutcome };

/**
 * The `halo-events` consumer: a webhook event, or a request to poll Halo's script queue. The message is already
 * valid (the queue's schema); a failure is thrown so that the host delivers it again.
 */
export async function processHaloEventsMessage(
  deps: Container,
  message: HaloEventsMessage,
): Promise<HaloEventsOutcome> {
  if (isPollRequest(message)) {
    return { kind: 'poll', outcome: await pollScriptQueue(deps, new Date(message.pollScriptQueue.requestedAt)) };
  }
  return { kind: 'event', outcome: await handleHaloEvent(deps, message) };
}
