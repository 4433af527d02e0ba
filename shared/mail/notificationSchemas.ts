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

export const lifecycleEventSchema = z.looseObject({
  subscriptionId: z.string().min(1),
  clientState: z.string().nullish(),
  lifecycleEvent: z.string().min(1),
  tenantId: z.string().nullish(),
  subscriptionExpirationDateTime: z.string().nullish(),
});

export const notificationCollectionSchema = z.looseObject({
  value: z.array(changeNotificationSchema).max(1000),
  validationTokens: z.array(z.string()).optional(),
});

export const lifecycleCollectionSchema = z.looseObject({
  value: z.array(lifecycleEventSchema).max(1000),
});

export type ChangeNotification = z.infer<typeof changeNotificationSchema>;
export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

/** Validates a notification POST body; problems name the JSON path (`$.value[0].subscriptionId: …`). */
export function parseNotifications(body: unknown): ParseResult<ChangeNotification[]> {
  const parsed = notificationCollectionSchema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data.value }
    : { ok: false, problems: formatIssues(parsed.error, '$') };
}

export function parseLifecycleEvents(body: unknown): ParseResult<LifecycleEvent[]> {
  const parsed = lifecycleCollectionSchema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data.value }
    : { ok: false, problems: formatIssues(parsed.error, '$') };
}
