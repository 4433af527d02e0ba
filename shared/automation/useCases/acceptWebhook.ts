import type { Container } from '../../app/container';
import { type HaloEvent, summariseForQueue } from '../haloWebhook';
import { haloEventsQueue } from './haloEventsQueue';
import { mapLimit } from './mapLimit';
import { DEDUPE } from './scopes';

export interface WebhookIntake {
  /** Events put on `halo-events`. */
  readonly accepted: number;
  /** Events whose delivery id was seen before (Halo re-sent them): nothing enqueued. */
  readonly duplicates: number;
  /** Events another invocation is enqueueing right now: ask Halo to send again later. */
  readonly inProgress: number;
  readonly pollRequested: boolean;
}

/** A delivery claim this old that never completed (its invocation crashed mid-way) may be taken over. */
const STALE_CLAIM_MS = 30_000;
const CLAIM_CONCURRENCY = 8;

/**
 * Accepts the events of one webhook delivery: each delivery id is claimed in the dedupe store, the new events go to
 * `halo-events`, and (when Halo's script queue is enabled) one poll request follows them, since an action that
 * queues a PowerShell script in Halo also fires the webhook. Nothing is lost: a failed send gives the claims back.
 */
export async function acceptWebhook(
  deps: Pick<Container, 'config' | 'stores' | 'storage' | 'now'>,
  events: readonly HaloEvent[],
): Promise<WebhookIntake> {
  const claims = await mapLimit(events, CLAIM_CONCURRENCY, async (event) => ({
    event,
    claim: await deps.stores.dedupe.claim(
      DEDUPE.webhookDelivery,
      event.deliveryId,
      { event: event.event.slice(0, 100), ticketId: event.ticketId ?? null },
      { staleAfterMs: STALE_CLAIM_MS },
    ),
  }));
  const fresh = claims.filter((c) => c.claim.claimed).map((c) => c.event);
  const duplicates = claims.filter((c) => !c.claim.claimed && c.claim.existing.status === 'completed').length;
  const inProgress = claims.length - fresh.length - duplicates;
  if (fresh.length === 0) return { accepted: 0, duplicates, inProgress, pollRequested: false };

  const pollRequested = deps.config.haloScriptQueue.enabled;
  try {
    const queue = haloEventsQueue(deps.storage);
    const requestedAt = deps.now().toISOString();
    await Promise.all([
      queue.sendMany(fresh.map(summariseForQueue)),
      pollRequested ? queue.send({ pollScriptQueue: { requestedAt, trigger: 'webhook' } }) : undefined,
    ]);
  } catch (error) {
    await mapLimit(fresh, CLAIM_CONCURRENCY, (e) =>
      deps.stores.dedupe.release(DEDUPE.webhookDelivery, e.deliveryId).catch(() => false),
    );
    throw error;
  }
  await mapLimit(fresh, CLAIM_CONCURRENCY, (e) =>
    deps.stores.dedupe.complete(DEDUPE.webhookDelivery, e.deliveryId, { queued: true }),
  );
  return { accepted: fresh.length, duplicates, inProgress, pollRequested };
}
