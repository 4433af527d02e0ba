import { z } from 'zod';

/**
 * Halo webhook deliveries (halo-api.md §4). Three payload options share the top level: "Event information only"
 * `{id, event, object_id, webhook_id}`; "Small object with key fields only" and "Full object with linked objects",
 * which add the notification fields and the `ticket` (and `action`) objects. With batching on, one delivery carries
 * an array of these. Objects are loose: Halo sends many more fields, and the ID-versus-display toggle changes types.
 */
const idLike = z.union([z.number(), z.string()]);

export const webhookTicketSchema = z.looseObject({
  id: z.number().int(),
  summary: z.string().nullish(),
  status_id: z.number().nullish(),
  tickettype_id: z.number().nullish(),
  client_id: z.number().nullish(),
  team_id: z.number().nullish(),
  agent_id: z.number().nullish(),
  hasbeenclosed: z.boolean().nullish(),
});

export const webhookActionSchema = z.looseObject({
  id: z.number().int(),
  ticket_id: z.number().int().nullish(),
  outcome_id: z.number().nullish(),
  outcome: z.string().nullish(),
  note: z.string().nullish(),
});

export const webhookEventSchema = z.looseObject({
  id: z.string().min(1),
  event: z.string().min(1),
  object_id: idLike,
  webhook_id: z.string().min(1),
  notification_id: z.number().nullish(),
  escmsg_id: z.string().nullish(),
  message: z.string().nullish(),
  agent_id: z.number().nullish(),
  /** ISO-8601 UTC with 7 decimal places, e.g. `2024-05-01T10:00:00.1234567Z`. */
  timestamp: z.string().nullish(),
  ticket: webhookTicketSchema.nullish(),
  action: webhookActionSchema.nullish(),
});

/** One delivery: a single payload, or a batch of them. Always parse to a list. */
export const webhookDeliverySchema = z
  .union([webhookEventSchema, z.array(webhookEventSchema).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

export type HaloWebhookEvent = z.infer<typeof webhookEventSchema>;

/** The ticket id a payload is about: the ticket object's id, else `object_id` when it is numeric. */
export function webhookTicketId(event: HaloWebhookEvent): number | undefined {
  if (event.ticket) return event.ticket.id;
  const n = typeof event.object_id === 'number' ? event.object_id : Number(event.object_id);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
