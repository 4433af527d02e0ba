import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';
import { jsonErrorOffset } from './jsonErrorPosition';

/**
 * Halo webhook deliveries, normalised. Accepted shapes (halo-api.md §4):
 * - "Full object with linked objects" and "Small object with key fields only": the common fields (`id` = delivery
 *   GUID, `webhook_id`, `event`, `object_id`, `timestamp`, …) plus `ticket`, `action` and/or `approval` objects;
 * - "Event information only": `{id, event, object_id, webhook_id}`;
 * - batched deliveries (Halo v2.164+). The batched body is UNCONFIRMED; we accept either a JSON array of events or
 *   an object `{ "events": [ … ] }`, each element being one of the shapes above.
 * Ids may arrive as numbers or numeric strings (the "display values" option); both become numbers.
 *
 * UNCONFIRMED and chosen here:
 * - the approval payload: we read a FaultApproval-shaped `approval` object (`ticket_id`, `approval_process_id`,
 *   `step_id`), falling back to the ticket's `approval_process_id` / `approval_process_step`;
 * - whether an approval event means "approved": decided from the event name (approved/accepted vs
 *   rejected/declined); when the name says neither, `approved` stays undefined and routing runs nothing;
 * - `object_id` is the ticket number for ticket events (seen on "ticket status changed"); we use it as the
 *   ticket id only when no ticket, action or approval object names one.
 */

export type HaloEventKind = 'action' | 'approval' | 'ticket' | 'other';

export interface HaloEvent {
  /** The delivery's `id` GUID: the same delivery re-sent by Halo has the same id. */
  readonly deliveryId: string;
  readonly webhookId?: string;
  /** Halo's event name, e.g. "ticket status changed". */
  readonly event: string;
  readonly kind: HaloEventKind;
  readonly ticketId?: number;
  readonly actionId?: number;
  readonly outcomeId?: number;
  readonly outcomeName?: string;
  /**
   * Whether the action carries an email for the customer, when the payload says (the full object includes the
   * action's `emailto`); unknown for small and event-only payloads. Lets the outgoing-mail path skip Halo reads.
   */
  readonly actionHasEmail?: boolean;
  readonly approvalProcessId?: number;
  readonly stepId?: number;
  /** For approval events: whether the step was approved, when the payload says so. */
  readonly approved?: boolean;
  readonly timestamp?: string;
  /** Size in bytes of this event's JSON as delivered. */
  readonly rawSize: number;
}

export type ParseWebhookResult = { ok: true; events: HaloEvent[] } | { ok: false; error: string };

export const MAX_EVENTS_PER_DELIVERY = 1000;

/**
 * Every field's messages say what was expected there (`$.object_id: must be a ticket number`), for a wrong type as
 * well as a wrong value: zod's own "Invalid input" names neither.
 */
function numericId(what: string) {
  const error = `must be ${what}`;
  return z.union(
    [
      z.number({ error }).int({ error }).nonnegative({ error }),
      z
        .string({ error })
        .trim()
        .regex(/^\d+$/, { error })
        .transform((v) => Number(v)),
      z.literal('', { error }).transform(() => undefined),
      z.null({ error }).transform(() => undefined),
    ],
    { error },
  );
}
const optionalId = (what: string) => numericId(what).optional();
const optionalText = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .nullish()
    .transform((v) => (v == null || v.trim() === '' ? undefined : v.trim()));
const looseObject = <S extends z.core.$ZodLooseShape>(shape: S, what: string) =>
  z.looseObject(shape, { error: `must be ${what}` });

const TICKET_NUMBER = 'a ticket number';
const GUID = /^[{(]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[)}]?$/i;
const deliveryId = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'is required: the delivery id (a GUID)' : 'must be a GUID (the delivery id)',
  })
  .trim()
  .regex(GUID, { error: 'must be a GUID (the delivery id)' });

const ticketObject = looseObject(
  {
    id: optionalId(TICKET_NUMBER),
    approval_process_id: optionalId('an approval process id (a number)'),
    approval_process_step: optionalId('an approval step id (a number)'),
  },
  'the ticket (a JSON object)',
);
const actionObject = looseObject(
  {
    id: optionalId('an action id (a number)'),
    ticket_id: optionalId(TICKET_NUMBER),
    outcome_id: optionalId('an outcome id (a number)'),
    outcome: optionalText('the outcome name (text)'),
    emailto: z.string({ error: "must be the action's email recipients (text)" }).nullish(),
  },
  'the action (a JSON object)',
);
const approvalObject = looseObject(
  {
    ticket_id: optionalId(TICKET_NUMBER),
    approval_process_id: optionalId('an approval process id (a number)'),
    step_id: optionalId('an approval step id (a number)'),
  },
  'the approval (a JSON object)',
);

export const haloWebhookEventSchema = looseObject(
  {
    id: deliveryId,
    webhook_id: optionalText('the webhook id (text)'),
    event: z
      .string({
        error: (issue) => (issue.input === undefined ? 'is required: the event name' : 'must be the event name (text)'),
      })
      .trim()
      .min(1, { error: 'must not be empty: the event name' }),
    object_id: optionalId(TICKET_NUMBER),
    timestamp: optionalText('the event time (text)'),
    ticket: ticketObject.nullish(),
    action: actionObject.nullish(),
    approval: approvalObject.nullish(),
  },
  'a webhook event (a JSON object)',
);
export type HaloWebhookEvent = z.infer<typeof haloWebhookEventSchema>;

const NO_EVENTS = 'the delivery holds no events: a batch must hold at least one';
const eventList = z
  .array(haloWebhookEventSchema, { error: 'must be an array of webhook events' })
  .min(1, { error: NO_EVENTS })
  .max(MAX_EVENTS_PER_DELIVERY, { error: `must hold at most ${MAX_EVENTS_PER_DELIVERY} events` });
const batchObject = z.looseObject({ events: eventList });

/** Parses and validates a webhook body; a rejection says what is wrong and where (JSON path or text position). */
export function parseHaloWebhook(body: string): ParseWebhookResult {
  if (body.trim() === '') return { ok: false, error: 'body is empty: expected a Halo webhook JSON payload' };
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: describeJsonError(body, error as Error) };
  }
  if (Array.isArray(document)) return fromItems(eventList.safeParse(document), document);
  if (document !== null && typeof document === 'object' && 'events' in document) {
    const parsed = batchObject.safeParse(document);
    if (!parsed.success) return { ok: false, error: formatIssues(parsed.error, '$').join('; ') };
    return fromItems(eventList.safeParse(parsed.data.events), (document as { events: unknown[] }).events, '$.events');
  }
  if (document === null || typeof document !== 'object') {
    return { ok: false, error: '$: must be a JSON object (one event), an array of events or {"events": [...]}' };
  }
  const parsed = haloWebhookEventSchema.safeParse(document);
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error, '$').join('; ') };
  return { ok: true, events: [normalise(parsed.data, Buffer.byteLength(body, 'utf8'))] };
}

function fromItems(parsed: z.ZodSafeParseResult<HaloWebhookEvent[]>, raw: unknown[], root = '$'): ParseWebhookResult {
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error, root).join('; ') };
  return {
    ok: true,
    events: parsed.data.map((item, i) => normalise(item, Buffer.byteLength(JSON.stringify(raw[i]), 'utf8'))),
  };
}

function normalise(item: HaloWebhookEvent, rawSize: number): HaloEvent {
  const kind = kindOf(item);
  const ticketId = item.action?.ticket_id ?? item.approval?.ticket_id ?? item.ticket?.id ?? item.object_id;
  const event: HaloEvent = {
    deliveryId: item.id,
    webhookId: item.webhook_id,
    event: item.event,
    kind,
    ticketId: ticketId === 0 ? undefined : ticketId,
    actionId: item.action?.id,
    outcomeId: item.action?.outcome_id,
    outcomeName: item.action?.outcome,
    actionHasEmail: item.action && 'emailto' in item.action ? Boolean(item.action.emailto?.trim()) : undefined,
    approvalProcessId: item.approval?.approval_process_id ?? item.ticket?.approval_process_id,
    stepId: item.approval?.step_id ?? item.ticket?.approval_process_step,
    approved: kind === 'approval' ? approvalVerdict(item.event) : undefined,
    timestamp: item.timestamp,
    rawSize,
  };
  return dropUndefined(event);
}

function kindOf(item: HaloWebhookEvent): HaloEventKind {
  if (item.approval || /approv/i.test(item.event)) return 'approval';
  if (item.action || /\baction/i.test(item.event)) return 'action';
  if (item.ticket || /ticket/i.test(item.event)) return 'ticket';
  return 'other';
}

function approvalVerdict(eventName: string): boolean | undefined {
  if (/\b(rejected|declined|unapproved)\b/i.test(eventName)) return false;
  if (/\b(approved|accepted)\b/i.test(eventName)) return true;
  return undefined;
}

/** Node's JSON.parse message plus the line and column where the text stops being JSON. */
function describeJsonError(body: string, error: Error): string {
  const offset = jsonErrorOffset(body);
  if (offset === undefined) return `body is not valid JSON: ${error.message}`;
  const before = body.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const where =
    offset >= body.length ? 'the end (it stops early)' : `line ${line}, column ${column} (offset ${offset})`;
  return `body is not valid JSON at ${where}: ${error.message}`;
}

/** The queue message for one event: ids and names only, bounded, whatever the delivery's size. */
export function summariseForQueue(event: HaloEvent): QueuedHaloEvent {
  return dropUndefined({
    ...event,
    event: event.event.slice(0, 200),
    outcomeName: event.outcomeName?.slice(0, 200),
    webhookId: event.webhookId?.slice(0, 64),
    timestamp: event.timestamp?.slice(0, 64),
  });
}

export const queuedHaloEventSchema = z
  .object({
    deliveryId: z.string().min(1).max(64),
    webhookId: z.string().max(64).optional(),
    event: z.string().min(1).max(200),
    kind: z.enum(['action', 'approval', 'ticket', 'other']),
    ticketId: z.number().int().positive().optional(),
    actionId: z.number().int().nonnegative().optional(),
    outcomeId: z.number().int().nonnegative().optional(),
    outcomeName: z.string().max(200).optional(),
    actionHasEmail: z.boolean().optional(),
    approvalProcessId: z.number().int().nonnegative().optional(),
    stepId: z.number().int().nonnegative().optional(),
    approved: z.boolean().optional(),
    timestamp: z.string().max(64).optional(),
    rawSize: z.number().int().nonnegative(),
  })
  .strict();
export type QueuedHaloEvent = z.infer<typeof queuedHaloEventSchema>;

/** Validates a `halo-events` queue message (the JSON of summariseForQueue). */
export function parseQueuedHaloEvent(
  message: unknown,
): { ok: true; event: QueuedHaloEvent } | { ok: false; error: string } {
  let document = message;
  if (typeof message === 'string') {
    try {
      document = JSON.parse(message);
    } catch (error) {
      return { ok: false, error: describeJsonError(message, error as Error) };
    }
  }
  const parsed = queuedHaloEventSchema.safeParse(document);
  return parsed.success
    ? { ok: true, event: parsed.data }
    : { ok: false, error: formatIssues(parsed.error, '$').join('; ') };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
