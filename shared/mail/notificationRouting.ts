import { constantTimeEquals } from './constantTime';
import type { ChangeNotification, LifecycleEvent } from './notificationSchemas';

export interface SubscriptionRef {
  mailboxId: string;
  clientState: string;
}

/** Our subscriptions by Graph subscription id. */
export type SubscriptionIndex = Readonly<Record<string, SubscriptionRef>> | ReadonlyMap<string, SubscriptionRef>;

export type RejectReason = 'unknownSubscription' | 'badClientState';

export interface Rejected {
  subscriptionId: string;
  reason: RejectReason;
}

/**
 * The mailboxes a notification POST asks us to scan, each once however many notifications name it. A notification
 * for a subscription we do not know, or with the wrong clientState, is rejected (and counted, not scanned).
 */
export function mailboxesToScan(
  notifications: readonly Pick<ChangeNotification, 'subscriptionId' | 'clientState'>[],
  subscriptions: SubscriptionIndex,
): { mailboxIds: string[]; rejected: Rejected[] } {
  const mailboxIds = new Set<string>();
  const rejected: Rejected[] = [];
  for (const notification of notifications) {
    const check = authenticate(notification, subscriptions);
    if ('reason' in check) rejected.push(check);
    else mailboxIds.add(check.mailboxId);
  }
  return { mailboxIds: [...mailboxIds], rejected };
}

export type LifecycleAction = 'reauthorize' | 'recreateThenRescan' | 'rescan';

export interface PlannedLifecycleAction {
  subscriptionId: string;
  mailboxId: string;
  action: LifecycleAction;
}

const ACTIONS: Readonly<Record<string, LifecycleAction>> = {
  reauthorizationrequired: 'reauthorize',
  subscriptionremoved: 'recreateThenRescan',
  missed: 'rescan',
};

/**
 * What each lifecycle notification asks for: `reauthorizationRequired` → reauthorize (or renew), `subscriptionRemoved`
 * → create the subscription again, then scan (mail may have arrived meanwhile), `missed` → scan.
 */
export function lifecycleActions(
  events: readonly Pick<LifecycleEvent, 'subscriptionId' | 'clientState' | 'lifecycleEvent'>[],
  subscriptions: SubscriptionIndex,
): { actions: PlannedLifecycleAction[]; rejected: Rejected[]; unknownEvents: string[] } {
  const actions: PlannedLifecycleAction[] = [];
  const rejected: Rejected[] = [];
  const unknownEvents: string[] = [];
  for (const event of events) {
    const check = authenticate(event, subscriptions);
    if ('reason' in check) {
      rejected.push(check);
      continue;
    }
    const action = ACTIONS[event.lifecycleEvent.toLowerCase()];
    if (action === undefined) unknownEvents.push(event.lifecycleEvent);
    else actions.push({ subscriptionId: event.subscriptionId, mailboxId: check.mailboxId, action });
  }
  return { actions, rejected, unknownEvents };
}

function authenticate(
  item: { subscriptionId: string; clientState?: string | null },
  subscriptions: SubscriptionIndex,
): Rejected | SubscriptionRef {
  const subscription = lookup(subscriptions, item.subscriptionId);
  if (!subscription) return { subscriptionId: item.subscriptionId, reason: 'unknownSubscription' };
  if (!constantTimeEquals(item.clientState, subscription.clientState))
    return { subscriptionId: item.subscriptionId, reason: 'badClientState' };
  return subscription;
}

function lookup(subscriptions: SubscriptionIndex, id: string): SubscriptionRef | undefined {
  if (subscriptions instanceof Map) return subscriptions.get(id);
  const record = subscriptions as Readonly<Record<string, SubscriptionRef>>;
  return Object.hasOwn(record, id) ? record[id] : undefined;
}
