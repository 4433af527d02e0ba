import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';
import type { ParseResult } from './graphMessage';

/** A change notification for a message (only a hint to scan; the resource data is not used). */
export const changeNotificationSchema = z.looseObject({
  subscriptionId: z.string().min(1),
  clientState: z.string().nullish(),
  changeType: z.string().min(1),
  resource: z.string().nullish(),
  tenantId: z.string().nullish(),
  subscriptionExpirationDateTime: z.string().nullish(),
});

/**
 * A lifecycle notification, in the documented shape (`tenantId`) and in the shape seen in the wild: `organizationId`
 * instead of `tenantId`, `resource: ""`, `sequence: null`, `resourceData`, `encryptedContent: null`
 * (microsoftgraph/microsoft-graph-docs-contrib#84). Either way the tenant ends up in `tenantId`.
 */
export const lifecycleEventSchema = z
  .looseObject({
    subscriptionId: z.string().min(1),
    clientState: z.string().nullish(),
    lifecycleEvent: z.string().min(1),
    tenantId: z.string().nullish(),
    organizationId: z.string().nullish(),
    resource: z.string().nullish(),
    sequence: z.unknown().optional(),
    subscriptionExpirationDateTime: z.string().nullish(),
  })
  .transform(({ organizationId, ...event }) => ({ ...event, tenantId: event.tenantId ?? organizationId ?? null }));

/** The envelope both endpoints get. Items are read one by one (see parseDelivery). */
export const deliverySchema = z.looseObject({
  value: z.array(z.unknown()).max(1000),
  validationTokens: z.array(z.string()).optional(),
});

export type ChangeNotification = z.infer<typeof changeNotificationSchema>;
export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

/** An item of a delivery that could not be read: where it was and why (never its clientState). */
export interface InvalidItem {
  readonly index: number;
  /** The first 64 characters of its subscriptionId, when it had one. */
  readonly subscriptionId?: string;
  readonly problems: string[];
}

export interface Delivery {
  readonly changes: ChangeNotification[];
  /** Lifecycle events, whichever endpoint they came to (Graph sends them to the notificationUrl too). */
  readonly lifecycle: LifecycleEvent[];
  readonly invalid: InvalidItem[];
}

/**
 * A POST from Graph, item by item: one malformed item never costs the others (a 400 for the whole delivery would
 * make Graph send the same body again and again). Only a body that is not `{"value": [...]}` is refused.
 */
export function parseDelivery(body: unknown): ParseResult<Delivery> {
  const envelope = deliverySchema.safeParse(body);
  if (!envelope.success) return { ok: false, problems: formatIssues(envelope.error, '$') };
  const delivery: Delivery = { changes: [], lifecycle: [], invalid: [] };
  envelope.data.value.forEach((item, index) => {
    const isLifecycle = typeof item === 'object' && item !== null && 'lifecycleEvent' in item;
    const parsed = (isLifecycle ? lifecycleEventSchema : changeNotificationSchema).safeParse(item);
    if (parsed.success) {
      if (isLifecycle) delivery.lifecycle.push(parsed.data as LifecycleEvent);
      else delivery.changes.push(parsed.data as ChangeNotification);
      return;
    }
    const subscriptionId = (item as { subscriptionId?: unknown } | null)?.subscriptionId;
    delivery.invalid.push({
      index,
      ...(typeof subscriptionId === 'string' ? { subscriptionId: subscriptionId.slice(0, 64) } : {}),
      problems: formatIssues(parsed.error, `$.value[${index}]`),
    });
  });
  return { ok: true, value: delivery };
}
