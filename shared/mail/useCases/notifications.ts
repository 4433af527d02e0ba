import type { Container } from '../../app/container';
import type { ParseResult } from '../graphMessage';
import { lifecycleActions, mailboxesToScan, type Rejected, type SubscriptionRef } from '../notificationRouting';
import { type LifecycleEvent, parseLifecycleEvents, parseNotifications } from '../notificationSchemas';
import { requestScan } from './scanQueue';

type Deps = Pick<Container, 'config' | 'graph' | 'storage' | 'stores' | 'log' | 'now'>;

export type NotificationOutcome =
  | { ok: false; problems: string[] }
  | { ok: true; queued: string[]; coalesced: string[]; rejected: number };

/**
 * A change-notification POST: each mailbox it names (with the right clientState) gets one scan request, however
 * many notifications name it. The notification is only a hint; the scan is what processes mail.
 */
export async function handleChangeNotifications(deps: Deps, body: unknown): Promise<NotificationOutcome> {
  const parsed = parseNotifications(body);
  if (!parsed.ok) return parsed;
  const index = await subscriptionIndex(deps, parsed.value);
  const { mailboxIds, rejected } = mailboxesToScan(parsed.value, index);
  logRejected(deps, 'notification', rejected);
  const outcome = { ok: true as const, queued: [] as string[], coalesced: [] as string[], rejected: rejected.length };
  for (const mailboxId of mailboxIds.filter((id) => known(deps, id))) {
    outcome[await requestScan(deps, { mailboxId, reason: 'notification' })].push(mailboxId);
  }
  return outcome;
}

export type LifecycleOutcome =
  | { ok: false; problems: string[] }
  | { ok: true; handled: string[]; rejected: number; failures: string[] };

/**
 * Lifecycle events: `reauthorizationRequired` → reauthorize the subscription (renewing it if Graph refuses),
 * `subscriptionRemoved` → a scan that first subscribes again, `missed` → a scan.
 */
export async function handleLifecycleEvents(deps: Deps, body: unknown): Promise<LifecycleOutcome> {
  const parsed: ParseResult<LifecycleEvent[]> = parseLifecycleEvents(body);
  if (!parsed.ok) return parsed;
  const index = await subscriptionIndex(deps, parsed.value);
  const { actions, rejected, unknownEvents } = lifecycleActions(parsed.value, index);
  logRejected(deps, 'lifecycle event', rejected);
  if (unknownEvents.length > 0) deps.log.warn('graph lifecycle: unknown events ignored', { events: unknownEvents });
  const outcome = { ok: true as const, handled: [] as string[], rejected: rejected.length, failures: [] as string[] };
  for (const action of actions) {
    const mailbox = deps.config.mailboxes.find((m) => m.id === action.mailboxId);
    if (!mailbox) continue;
    if (action.action === 'reauthorize') {
      try {
        await reauthorize(deps, mailbox.tenantId, action.subscriptionId);
        outcome.handled.push(`${mailbox.id}: reauthorized`);
      } catch (error) {
        // The maintenance timer recreates it; a scan now covers anything missed meanwhile.
        const reason = error instanceof Error ? error.message : String(error);
        outcome.failures.push(`${mailbox.id}: reauthorize failed: ${reason}`);
        deps.log.warn('graph lifecycle: reauthorize failed', { mailboxId: mailbox.id, reason });
        await requestScan(deps, { mailboxId: mailbox.id, reason: 'lifecycle' });
      }
    } else if (action.action === 'recreateThenRescan') {
      await deps.stores.subscriptions.delete(action.subscriptionId);
      await requestScan(deps, { mailboxId: mailbox.id, reason: 'lifecycle', resubscribe: true });
      outcome.handled.push(`${mailbox.id}: resubscribe and rescan queued`);
    } else {
      await requestScan(deps, { mailboxId: mailbox.id, reason: 'lifecycle' });
      outcome.handled.push(`${mailbox.id}: rescan queued`);
    }
  }
  return outcome;
}

async function reauthorize(deps: Deps, tenantId: string, subscriptionId: string): Promise<void> {
  if (!deps.graph) throw new Error('Microsoft Graph is not configured');
  const graph = deps.graph.forTenant(tenantId);
  try {
    await graph.reauthorizeSubscription(subscriptionId);
  } catch {
    const stored = await deps.stores.subscriptions.get(subscriptionId);
    const expiry = new Date(deps.now().getTime() + 4_220 * 60_000).toISOString();
    const renewed = await graph.renewSubscription(subscriptionId, expiry);
    if (stored) await deps.stores.subscriptions.upsert({ ...stored, expiresAt: renewed.expirationDateTime });
  }
}

/** Our stored subscriptions (one table query: there is one per mailbox), by Graph subscription id. */
async function subscriptionIndex(deps: Deps, _items: readonly { subscriptionId: string }[]) {
  const index = new Map<string, SubscriptionRef>();
  for (const record of await deps.stores.subscriptions.list()) {
    index.set(record.id, { mailboxId: record.mailbox, clientState: record.clientState });
  }
  return index;
}

function known(deps: Deps, mailboxId: string): boolean {
  return deps.config.mailboxes.some((m) => m.id === mailboxId);
}

function logRejected(deps: Deps, what: string, rejected: readonly Rejected[]): void {
  for (const item of rejected) {
    // Never the clientState itself: it is the credential.
    deps.log.warn(`graph ${what} rejected`, { subscriptionId: item.subscriptionId.slice(0, 64), reason: item.reason });
  }
}
