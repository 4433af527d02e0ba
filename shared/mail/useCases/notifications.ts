import type { Container } from '../../app/container';
import { lifecycleActions, mailboxesToScan, type Rejected, type SubscriptionRef } from '../notificationRouting';
import { type InvalidItem, parseDelivery } from '../notificationSchemas';
import { findMailbox } from './mailboxes';
import { type MailboxScanMessage, requestScan } from './scanQueue';

type Deps = Pick<Container, 'config' | 'storage' | 'stores' | 'log' | 'now'>;

export type DeliveryOutcome =
  | { ok: false; problems: string[] }
  | {
      ok: true;
      queued: string[];
      coalesced: string[];
      /** Items with a wrong clientState or for a subscription we do not have. */
      rejected: number;
      /** Items that could not be read at all. */
      invalid: number;
      unknownEvents: string[];
    };

/**
 * A POST from Graph to either endpoint: change notifications and lifecycle events, any mix of subscriptions and
 * tenants, each item on its own. Nothing here calls Graph, so the answer (202) goes back well within Graph's 3
 * seconds: each mailbox named by a valid change notification gets one (coalesced) scan request; a lifecycle event
 * queues a scan that first does what it asks (reauthorize, subscribe again). Items that cannot be read or
 * authenticated are logged with their position and reason and skipped; the rest are handled.
 */
export async function handleGraphDelivery(deps: Deps, body: unknown): Promise<DeliveryOutcome> {
  const parsed = parseDelivery(body);
  if (!parsed.ok) return parsed;
  const { changes, lifecycle, invalid } = parsed.value;
  logInvalid(deps, invalid);
  const index = await subscriptionIndex(deps);
  const scans = mailboxesToScan(changes, index);
  const events = lifecycleActions(lifecycle, index);
  const rejected = [...scans.rejected, ...events.rejected];
  logRejected(deps, rejected);
  if (events.unknownEvents.length > 0)
    deps.log.warn('graph lifecycle: unknown events ignored', { events: events.unknownEvents });

  const outcome = {
    ok: true as const,
    queued: [] as string[],
    coalesced: [] as string[],
    rejected: rejected.length,
    invalid: invalid.length,
    unknownEvents: events.unknownEvents,
  };
  const request = async (message: MailboxScanMessage) => {
    if (!findMailbox(deps.config, message.mailboxId)) return;
    outcome[await requestScan(deps, message)].push(message.mailboxId);
  };
  for (const mailboxId of scans.mailboxIds) await request({ mailboxId, reason: 'notification' });
  for (const action of events.actions) {
    const { mailboxId, subscriptionId } = action;
    if (action.action === 'reauthorize') await request({ mailboxId, reason: 'lifecycle', reauthorize: subscriptionId });
    else if (action.action === 'recreateThenRescan') {
      await deps.stores.subscriptions.delete(subscriptionId);
      await request({ mailboxId, reason: 'lifecycle', resubscribe: true });
    } else await request({ mailboxId, reason: 'lifecycle' });
  }
  return outcome;
}

/** Our stored subscriptions (one table query: there is one per mailbox), by Graph subscription id. */
async function subscriptionIndex(deps: Deps) {
  const index = new Map<string, SubscriptionRef>();
  for (const record of await deps.stores.subscriptions.list()) {
    index.set(record.id, { mailboxId: record.mailbox, clientState: record.clientState });
  }
  return index;
}

function logInvalid(deps: Deps, invalid: readonly InvalidItem[]): void {
  for (const item of invalid) deps.log.warn('graph notification item unreadable, skipped', { ...item });
}

function logRejected(deps: Deps, rejected: readonly Rejected[]): void {
  for (const item of rejected) {
    // Never the clientState itself: it is the credential.
    deps.log.warn('graph notification rejected', {
      subscriptionId: item.subscriptionId.slice(0, 64),
      reason: item.reason,
    });
  }
}
