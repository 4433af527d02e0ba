import { randomUUID } from 'node:crypto';
import type { HaloSimStore } from './store';
import type { PayloadType, Rec, SimWebhook, WebhookDelivery } from './types';

/** Event names the simulator fires (Halo's notification event names are UNCONFIRMED beyond "ticket status changed"). */
export const SIM_EVENTS = {
  actionAdded: 'action added',
  statusChanged: 'ticket status changed',
  ticketLogged: 'new ticket logged',
  approvalApproved: 'approval step approved',
} as const;

export interface WebhookConfig {
  url: string;
  name?: string;
  username?: string;
  password?: string;
  payloadType?: PayloadType;
  events: string[];
  batch?: boolean;
}

export interface EventContext {
  ticketId: number;
  action?: Rec;
  approval?: Rec;
  message?: string;
  agentId?: number;
}

/** Halo's timestamps carry 7 decimal places (.NET ticks): `2024-05-01T10:00:00.1230000Z`. */
export function haloTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

const SMALL_TICKET_FIELDS = [
  'id',
  'summary',
  'status_id',
  'tickettype_id',
  'client_id',
  'site_id',
  'user_id',
  'team_id',
  'agent_id',
  'hasbeenclosed',
];
const SMALL_ACTION_FIELDS = ['id', 'ticket_id', 'outcome_id', 'outcome', 'who_agentid'];

const pick = (record: Rec, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]]));

export function buildPayload(
  store: HaloSimStore,
  webhook: SimWebhook,
  event: string,
  context: EventContext,
  now: Date,
): Record<string, unknown> {
  const base = { id: randomUUID(), event, object_id: context.ticketId, webhook_id: webhook.id };
  if (webhook.payloadType === 'event') return base;
  const ticket = store.tables.tickets.get(context.ticketId);
  const full = webhook.payloadType === 'full';
  return {
    ...base,
    notification_id: 1,
    escmsg_id: randomUUID(),
    message: context.message ?? `${event} for Ticket ID: ${String(context.ticketId).padStart(7, '0')}.`,
    agent_id: context.agentId ?? 1,
    timestamp: haloTimestamp(now),
    ...(ticket ? { ticket: full ? structuredClone(ticket) : pick(ticket, SMALL_TICKET_FIELDS) } : {}),
    ...(context.action
      ? { action: full ? structuredClone(context.action) : pick(context.action, SMALL_ACTION_FIELDS) }
      : {}),
    ...(context.approval ? { approval: structuredClone(context.approval) } : {}),
  };
}

export interface WebhookDispatcher {
  configure(config: WebhookConfig): SimWebhook;
  /** Delivers `event` to every active webhook that listens to it; batching webhooks hold it until flush(). */
  fire(event: string, context: EventContext): Promise<WebhookDelivery[]>;
  flush(): Promise<WebhookDelivery[]>;
}

export function createWebhookDispatcher(store: HaloSimStore, now: () => Date): WebhookDispatcher {
  const pending = new Map<string, Record<string, unknown>[]>();

  const post = async (webhook: SimWebhook, event: string, payload: unknown): Promise<WebhookDelivery> => {
    const requestbody = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Halo-Webhook-Sim' };
    if (webhook.username !== undefined) {
      const basic = Buffer.from(`${webhook.username}:${webhook.password ?? ''}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    }
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      webhook_id: webhook.id,
      event,
      status: 'failed',
      responsestatus: 0,
      responsebody: '',
      error: '',
      requestbody,
      date: haloTimestamp(now()),
    };
    try {
      const response = await fetch(webhook.url, { method: 'POST', headers, body: requestbody });
      delivery.responsestatus = response.status;
      delivery.responsebody = (await response.text()).slice(0, 2000);
      delivery.status = response.ok ? 'success' : 'failed';
    } catch (error) {
      delivery.error = (error as Error).message;
    }
    store.deliveries.push(delivery);
    return delivery;
  };

  return {
    configure(config) {
      const webhook: SimWebhook = {
        id: randomUUID(),
        name: config.name ?? 'halo-bridge',
        url: config.url,
        username: config.username,
        password: config.password,
        payloadType: config.payloadType ?? 'full',
        events: config.events.map((e) => e.toLowerCase()),
        batch: config.batch ?? false,
        active: true,
      };
      store.webhooks.set(webhook.id, webhook);
      return webhook;
    },
    async fire(event, context) {
      const targets = [...store.webhooks.values()].filter(
        (w) => w.active && (w.events.includes('*') || w.events.includes(event.toLowerCase())),
      );
      const deliveries: WebhookDelivery[] = [];
      for (const webhook of targets) {
        const payload = buildPayload(store, webhook, event, context, now());
        if (webhook.batch) {
          pending.set(webhook.id, [...(pending.get(webhook.id) ?? []), payload]);
        } else {
          deliveries.push(await post(webhook, event, payload));
        }
      }
      return deliveries;
    },
    async flush() {
      const deliveries: WebhookDelivery[] = [];
      for (const [id, payloads] of pending) {
        const webhook = store.webhooks.get(id);
        if (webhook && payloads.length > 0) deliveries.push(await post(webhook, 'batch', payloads));
      }
      pending.clear();
      return deliveries;
    },
  };
}
