import type { MailboxConfig } from '../config/integration/mailboxes';

/** Graph's maximum lifetime of a subscription to Outlook messages. */
export const MAIL_SUBSCRIPTION_MAX_MINUTES = 4230;
/** Requested lifetime: a little under the maximum, so clock skew never makes Graph refuse it. */
export const MAIL_SUBSCRIPTION_LIFETIME_MINUTES = MAIL_SUBSCRIPTION_MAX_MINUTES - 10;
export const DEFAULT_RENEW_BEFORE_MINUTES = 720;
export const CLIENT_STATE_BYTES = 32;

/** A subscription we created, as the subscriptions table keeps it. */
export interface SubscriptionRow {
  subscriptionId: string;
  mailboxId: string;
  expirationDateTime: string;
  resource?: string;
  notificationUrl?: string;
  lifecycleNotificationUrl?: string;
}

export interface SubscriptionPlanOptions {
  notificationUrl: string;
  lifecycleUrl: string;
  renewBeforeMinutes?: number;
}

/** The body of `POST /subscriptions`. */
export interface SubscriptionCreateRequest {
  changeType: 'created';
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  resource: string;
  expirationDateTime: string;
  clientState: string;
  latestSupportedTlsVersion: 'v1_2';
}

export interface SubscriptionPlan {
  create: { mailboxId: string; request: SubscriptionCreateRequest }[];
  /** `PATCH /subscriptions/{id}` with `{ expirationDateTime }`. */
  renew: { subscriptionId: string; mailboxId: string; expirationDateTime: string }[];
  /** `DELETE /subscriptions/{id}` (a 404 means Graph already removed it). */
  remove: { subscriptionId: string; mailboxId: string; reason: string }[];
}

type PlannedMailbox = Pick<MailboxConfig, 'id' | 'address' | 'notifications'>;

export function mailSubscriptionResource(address: string): string {
  return `users/${address.trim().toLowerCase()}/mailFolders('inbox')/messages`;
}

/**
 * Keeps one live subscription per mailbox with notifications on: create what is missing, renew what expires within
 * `renewBeforeMinutes` (boundary included), and remove what is expired, duplicated, out of date (resource or URLs
 * changed; the lifecycle URL can only be set at creation) or no longer wanted. `randomBytes` is the random source
 * for new clientStates (pass `crypto.randomBytes`); the planner itself does no I/O.
 */
export function planSubscriptions(
  mailboxes: readonly PlannedMailbox[],
  existing: readonly SubscriptionRow[],
  now: Date,
  options: SubscriptionPlanOptions,
  randomBytes: (size: number) => Uint8Array,
): SubscriptionPlan {
  const renewBefore = options.renewBeforeMinutes ?? DEFAULT_RENEW_BEFORE_MINUTES;
  if (!(renewBefore > 0 && renewBefore < MAIL_SUBSCRIPTION_LIFETIME_MINUTES))
    throw new RangeError(`renewBeforeMinutes must be between 0 and ${MAIL_SUBSCRIPTION_LIFETIME_MINUTES}`);
  const plan: SubscriptionPlan = { create: [], renew: [], remove: [] };
  const newExpiry = new Date(now.getTime() + MAIL_SUBSCRIPTION_LIFETIME_MINUTES * 60_000).toISOString();
  const wanted = new Map(mailboxes.filter((m) => m.notifications).map((m) => [m.id, m]));
  const configured = new Set(mailboxes.map((m) => m.id));

  const byMailbox = new Map<string, SubscriptionRow[]>();
  for (const row of existing) {
    if (!wanted.has(row.mailboxId)) {
      const reason = configured.has(row.mailboxId)
        ? 'notifications are off for this mailbox'
        : 'mailbox no longer configured';
      plan.remove.push({ subscriptionId: row.subscriptionId, mailboxId: row.mailboxId, reason });
      continue;
    }
    byMailbox.set(row.mailboxId, [...(byMailbox.get(row.mailboxId) ?? []), row]);
  }

  for (const mailbox of wanted.values()) {
    const resource = mailSubscriptionResource(mailbox.address);
    const usable: SubscriptionRow[] = [];
    for (const row of byMailbox.get(mailbox.id) ?? []) {
      const problem = rowProblem(row, now, resource, options);
      if (problem) plan.remove.push({ subscriptionId: row.subscriptionId, mailboxId: mailbox.id, reason: problem });
      else usable.push(row);
    }
    usable.sort((a, b) => Date.parse(b.expirationDateTime) - Date.parse(a.expirationDateTime));
    const [keep, ...duplicates] = usable;
    for (const row of duplicates)
      plan.remove.push({ subscriptionId: row.subscriptionId, mailboxId: mailbox.id, reason: 'duplicate subscription' });
    if (!keep) {
      plan.create.push({
        mailboxId: mailbox.id,
        request: {
          changeType: 'created',
          notificationUrl: options.notificationUrl,
          lifecycleNotificationUrl: options.lifecycleUrl,
          resource,
          expirationDateTime: newExpiry,
          clientState: Buffer.from(randomBytes(CLIENT_STATE_BYTES)).toString('base64url'),
          latestSupportedTlsVersion: 'v1_2',
        },
      });
    } else if (minutesLeft(keep, now) <= renewBefore) {
      plan.renew.push({ subscriptionId: keep.subscriptionId, mailboxId: mailbox.id, expirationDateTime: newExpiry });
    }
  }
  return plan;
}

function rowProblem(row: SubscriptionRow, now: Date, resource: string, options: SubscriptionPlanOptions) {
  if (Number.isNaN(Date.parse(row.expirationDateTime))) return 'unreadable expiry';
  if (minutesLeft(row, now) <= 0) return 'expired';
  if (row.resource !== undefined && row.resource.toLowerCase() !== resource.toLowerCase())
    return 'mailbox address changed';
  if (row.notificationUrl !== undefined && row.notificationUrl !== options.notificationUrl)
    return 'notification URL changed';
  if (row.lifecycleNotificationUrl !== undefined && row.lifecycleNotificationUrl !== options.lifecycleUrl)
    return 'lifecycle URL changed';
  return undefined;
}

function minutesLeft(row: SubscriptionRow, now: Date): number {
  return (Date.parse(row.expirationDateTime) - now.getTime()) / 60_000;
}
