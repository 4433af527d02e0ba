import { randomBytes } from 'node:crypto';
import type { Container } from '../../app/container';
import type { MailboxConfig } from '../../config/integration/mailboxes';
import { planSubscriptions, type SubscriptionRow } from '../subscriptions';
import { explainFailure, isServiceError } from './mailErrors';

export const NOTIFICATIONS_ROUTE = 'graph/notifications';
export const LIFECYCLE_ROUTE = 'graph/lifecycle';

type Deps = Pick<Container, 'settings' | 'config' | 'graph' | 'stores' | 'log' | 'now'>;

export interface SubscriptionMaintenance {
  readonly skipped?: string;
  readonly created: string[];
  readonly renewed: string[];
  readonly removed: string[];
  readonly failures: string[];
}

/** Where Graph posts, or undefined when the app has no public URL (then only the every-minute scans run). */
export function notificationUrls(settings: Container['settings']) {
  const base = settings.publicBaseUrl?.replace(/\/+$/, '');
  if (!base) return undefined;
  return { notificationUrl: `${base}/api/${NOTIFICATIONS_ROUTE}`, lifecycleUrl: `${base}/api/${LIFECYCLE_ROUTE}` };
}

/**
 * Keeps one live change-notification subscription per mailbox: creates missing ones (Graph runs the validation
 * handshake against our endpoint before answering), renews those close to expiry, removes stale ones. `only`
 * limits the work to some mailboxes (after a subscriptionRemoved event), and `forget` drops our record of
 * subscriptions Graph has already removed.
 */
export async function maintainSubscriptions(
  deps: Deps,
  options: { only?: readonly string[]; forget?: readonly string[] } = {},
): Promise<SubscriptionMaintenance> {
  const result: SubscriptionMaintenance = { created: [], renewed: [], removed: [], failures: [] };
  const urls = notificationUrls(deps.settings);
  if (!urls) {
    deps.log.info('graph notifications skipped: PUBLIC_BASE_URL is not set; mailboxes are still scanned every minute');
    return { ...result, skipped: 'PUBLIC_BASE_URL is not set' };
  }
  if (!deps.graph) return { ...result, skipped: 'Microsoft Graph is not configured' };
  for (const id of options.forget ?? []) await deps.stores.subscriptions.delete(id);
  const stored = await deps.stores.subscriptions.list();
  const inScope = (mailboxId: string) => !options.only || options.only.includes(mailboxId);
  const rows: SubscriptionRow[] = stored
    .filter((s) => inScope(s.mailbox))
    .map((s) => ({
      subscriptionId: s.id,
      mailboxId: s.mailbox,
      expirationDateTime: s.expiresAt,
      ...(s.resource ? { resource: s.resource } : {}),
    }));
  const mailboxes = deps.config.mailboxes.filter((m) => inScope(m.id));
  const plan = planSubscriptions(mailboxes, rows, deps.now(), urls, randomBytes);
  const byId = new Map(deps.config.mailboxes.map((m) => [m.id, m]));
  const tenantOf = (mailboxId: string) =>
    byId.get(mailboxId)?.tenantId ?? stored.find((s) => s.mailbox === mailboxId)?.tenantId;
  const attempt = async (what: string, mailbox: MailboxConfig | undefined, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (!isServiceError(error)) throw error;
      const reason = explainFailure(error, { operation: 'subscribe', mailbox: mailbox?.address }).message;
      result.failures.push(`${what}: ${reason}`);
      deps.log.warn('graph subscription maintenance failed', { what, reason });
    }
  };

  for (const item of plan.remove) {
    const tenantId = tenantOf(item.mailboxId);
    await attempt(`remove subscription of ${item.mailboxId}`, byId.get(item.mailboxId), async () => {
      if (tenantId) await deps.graph!.forTenant(tenantId).deleteSubscription(item.subscriptionId);
      await deps.stores.subscriptions.delete(item.subscriptionId);
      result.removed.push(`${item.mailboxId} (${item.reason})`);
    });
  }
  for (const item of plan.renew) {
    const mailbox = byId.get(item.mailboxId)!;
    await attempt(`renew subscription of ${mailbox.id}`, mailbox, async () => {
      const graph = deps.graph!.forTenant(mailbox.tenantId);
      try {
        const renewed = await graph.renewSubscription(item.subscriptionId, item.expirationDateTime);
        const row = stored.find((s) => s.id === item.subscriptionId)!;
        await deps.stores.subscriptions.upsert({ ...row, expiresAt: renewed.expirationDateTime });
        result.renewed.push(mailbox.id);
      } catch (error) {
        if ((error as { status?: unknown }).status !== 404) throw error;
        // Graph no longer has it: forget it and subscribe again.
        await deps.stores.subscriptions.delete(item.subscriptionId);
        const again = planSubscriptions([mailbox], [], deps.now(), urls, randomBytes).create[0]!;
        await create(deps, mailbox, again.request);
        result.created.push(mailbox.id);
      }
    });
  }
  for (const item of plan.create) {
    const mailbox = byId.get(item.mailboxId)!;
    await attempt(`subscribe to ${mailbox.id}`, mailbox, async () => {
      await create(deps, mailbox, item.request);
      result.created.push(mailbox.id);
    });
  }
  return result;
}

async function create(
  deps: Deps,
  mailbox: MailboxConfig,
  request: ReturnType<typeof planSubscriptions>['create'][number]['request'],
): Promise<void> {
  const graph = deps.graph!.forTenant(mailbox.tenantId);
  const created = await graph.createSubscription({
    resource: request.resource,
    changeType: request.changeType,
    notificationUrl: request.notificationUrl,
    lifecycleNotificationUrl: request.lifecycleNotificationUrl,
    expirationDateTime: request.expirationDateTime,
    clientState: request.clientState,
  });
  try {
    await deps.stores.subscriptions.upsert({
      id: created.id,
      mailbox: mailbox.id,
      tenantId: mailbox.tenantId,
      resource: request.resource,
      clientState: request.clientState,
      expiresAt: created.expirationDateTime ?? request.expirationDateTime,
      createdAt: deps.now().toISOString(),
    });
  } catch (error) {
    // Unrecorded, its notifications would be rejected: remove it so the next run creates a recorded one.
    await graph.deleteSubscription(created.id).catch(() => false);
    throw error;
  }
}

/**
 * After `reauthorizationRequired`: reauthorize the subscription, or renew it when Graph refuses that. A failure is
 * logged (the maintenance timer recreates what is gone), never thrown: the scan that follows covers missed mail.
 */
export async function reauthorizeSubscription(deps: Deps, mailboxId: string, subscriptionId: string): Promise<boolean> {
  const mailbox = deps.config.mailboxes.find((m) => m.id === mailboxId);
  if (!mailbox || !deps.graph) return false;
  const graph = deps.graph.forTenant(mailbox.tenantId);
  try {
    try {
      await graph.reauthorizeSubscription(subscriptionId);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      const stored = await deps.stores.subscriptions.get(subscriptionId);
      const expiry = new Date(deps.now().getTime() + 4_220 * 60_000).toISOString();
      const renewed = await graph.renewSubscription(subscriptionId, expiry);
      if (stored) await deps.stores.subscriptions.upsert({ ...stored, expiresAt: renewed.expirationDateTime });
    }
    deps.log.info('graph subscription reauthorized', { mailboxId, subscriptionId });
    return true;
  } catch (error) {
    if (!isServiceError(error)) throw error;
    const reason = explainFailure(error, { operation: 'subscribe', mailbox: mailbox.address }).message;
    deps.log.warn('graph subscription not reauthorized; the maintenance timer recreates it', { mailboxId, reason });
    return false;
  }
}
