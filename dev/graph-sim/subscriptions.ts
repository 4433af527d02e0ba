import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimContext } from './context';
import { badRequest, graphError, json, normalizePath, type Route, route, type SimRequest } from './http';
import type { Json, StoreEvent } from './store';

const MAIL_MAX_MINUTES = 4230;
const DIRECTORY_MAX_MINUTES = 41760;
const MIN_MINUTES = 45;
const VALIDATION_TIMEOUT_MS = 10_000;

export interface SimSubscription {
  id: string;
  tenantId: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  applicationId: string;
  /** After a reauthorizationRequired event, deliveries pause until reauthorize or renew. */
  paused: boolean;
}

export interface Delivery {
  readonly kind: 'validation' | 'notification' | 'lifecycle';
  readonly subscriptionId: string | null;
  readonly url: string;
  readonly payload: unknown;
  readonly status: number | null;
  readonly responseBody: string;
  readonly error?: string;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface LifecycleOptions {
  /**
   * `documented`: `{subscriptionId, subscriptionExpirationDateTime, tenantId, clientState, lifecycleEvent}`;
   * `observed`: as real deliveries have been seen (microsoftgraph/microsoft-graph-docs-contrib#84): `organizationId`
   * instead of `tenantId`, `resource: ""`, `sequence: null`, `resourceData`, `encryptedContent: null` and
   * `validationTokens` beside `value`.
   */
  readonly shape?: 'documented' | 'observed';
  /** Where to post it: the lifecycle URL (default) or the notification URL, mixed in with change notifications. */
  readonly via?: 'lifecycleUrl' | 'notificationUrl';
}

const createSchema = z.object({
  changeType: z.string().min(1),
  notificationUrl: z.url(),
  lifecycleNotificationUrl: z.url().optional(),
  resource: z.string().min(1),
  expirationDateTime: z.iso.datetime({ offset: true }),
  clientState: z.string().max(128).optional(),
});

/** Subscriptions with the validation handshake, lifetime rules, notifications and lifecycle events. */
export class SubscriptionService {
  readonly subscriptions = new Map<string, SimSubscription>();
  readonly deliveries: Delivery[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  /** Notifications waiting for this tick's POST, per URL: Graph sends what it has together, across subscriptions. */
  private readonly outbox = new Map<string, { subscriptionId: string; items: Json[] }>();

  constructor(private readonly ctx: SimContext) {
    ctx.store.onChange((event) => this.onStoreEvent(event));
  }

  routes(): Route[] {
    return [
      route('POST', '/subscriptions', 'subscriptions.create', (request) => this.create(request)),
      route('GET', '/subscriptions', 'subscriptions.list', (request) =>
        json(200, { value: this.ofTenant(request.tenantId).map((s) => this.shape(s)) }),
      ),
      route('GET', '/subscriptions/:id', 'subscriptions.get', (request, params) => {
        const sub = this.find(request, params.id!);
        return sub ? json(200, this.shape(sub)) : this.missing(params.id!);
      }),
      route('PATCH', '/subscriptions/:id', 'subscriptions.renew', (request, params) => {
        const sub = this.find(request, params.id!);
        if (!sub) return this.missing(params.id!);
        const parsed = z.object({ expirationDateTime: z.iso.datetime({ offset: true }) }).safeParse(request.body);
        if (!parsed.success) return badRequest('expirationDateTime is required (ISO 8601).', 'InvalidRequest');
        const expiry = this.expiry(sub.resource, parsed.data.expirationDateTime);
        if (typeof expiry !== 'string') return expiry;
        sub.expirationDateTime = expiry;
        sub.paused = false;
        return json(200, this.shape(sub));
      }),
      route('DELETE', '/subscriptions/:id', 'subscriptions.delete', (request, params) => {
        const sub = this.find(request, params.id!);
        if (!sub) return this.missing(params.id!);
        this.subscriptions.delete(sub.id);
        return { status: 204 };
      }),
      route('POST', '/subscriptions/:id/reauthorize', 'subscriptions.reauthorize', (request, params) => {
        const sub = this.find(request, params.id!);
        if (!sub) return this.missing(params.id!);
        sub.paused = false;
        return { status: 204 };
      }),
    ];
  }

  /** Waits until every delivery started so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Sends a lifecycle event to the subscription's lifecycleNotificationUrl (false if it has none), or with the
   * change notifications of this tick to its notificationUrl.
   */
  triggerLifecycle(subscriptionId: string, event: LifecycleEvent, options: LifecycleOptions = {}): boolean {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub?.lifecycleNotificationUrl) return false;
    if (event === 'reauthorizationRequired') sub.paused = true;
    if (event === 'subscriptionRemoved') this.subscriptions.delete(sub.id);
    const documented = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      tenantId: sub.tenantId,
      clientState: sub.clientState,
      lifecycleEvent: event,
    };
    const item =
      options.shape === 'observed'
        ? {
            lifecycleEvent: event,
            subscriptionId: sub.id,
            resource: '',
            clientState: sub.clientState,
            sequence: null,
            resourceData: { '@odata.type': '#Microsoft.Graph.Message' },
            encryptedContent: null,
            organizationId: sub.tenantId,
            subscriptionExpirationDateTime: sub.expirationDateTime,
          }
        : documented;
    if (options.via === 'notificationUrl') {
      this.enqueue(sub.notificationUrl, sub.id, item);
      return true;
    }
    const payload = options.shape === 'observed' ? { value: [item], validationTokens: [] } : { value: [item] };
    this.track(this.post('lifecycle', sub.id, sub.lifecycleNotificationUrl, payload));
    return true;
  }

  private async create(request: SimRequest) {
    const parsed = createSchema.safeParse(request.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return badRequest(`Invalid subscription: ${problems}`, 'InvalidRequest');
    }
    const input = parsed.data;
    const expiry = this.expiry(input.resource, input.expirationDateTime);
    if (typeof expiry !== 'string') return expiry;
    for (const url of [input.notificationUrl, input.lifecycleNotificationUrl]) {
      if (url && !(await this.validate(url))) {
        return badRequest(
          `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.`,
          'ValidationError',
        );
      }
    }
    const sub: SimSubscription = {
      id: randomUUID(),
      tenantId: request.tenantId,
      resource: input.resource,
      changeType: input.changeType,
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl ?? null,
      clientState: input.clientState ?? null,
      expirationDateTime: expiry,
      applicationId: this.ctx.store.app.clientId,
      paused: false,
    };
    this.subscriptions.set(sub.id, sub);
    return json(201, this.shape(sub));
  }

  /** The granted expiry, or the 400 Graph gives for one beyond the resource's maximum. */
  private expiry(resource: string, requested: string) {
    const now = this.ctx.now();
    const max = /messages|events|contacts/i.test(resource) ? MAIL_MAX_MINUTES : DIRECTORY_MAX_MINUTES;
    const at = Date.parse(requested);
    if (at > now + max * 60_000) {
      return badRequest(`Subscription expiration can only be ${max} minutes in the future.`, 'InvalidRequest');
    }
    return new Date(Math.max(at, now + MIN_MINUTES * 60_000)).toISOString();
  }

  private async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    const delivery = this.post('validation', null, target.toString(), undefined);
    this.track(delivery);
    const result = await delivery;
    return result.status === 200 && result.responseBody === token;
  }

  private onStoreEvent(event: StoreEvent): void {
    for (const sub of this.subscriptions.values()) {
      if (sub.paused || Date.parse(sub.expirationDateTime) <= this.ctx.now()) continue;
      if (sub.tenantId !== event.tenantId || !sub.changeType.split(',').includes(event.changeType)) continue;
      const item = this.notificationFor(sub, event);
      if (item) this.enqueue(sub.notificationUrl, sub.id, item);
    }
  }

  /** Collects notifications for a URL during this tick; they leave together in one POST. */
  private enqueue(url: string, subscriptionId: string, item: Json): void {
    const waiting = this.outbox.get(url);
    if (waiting) {
      waiting.items.push(item);
      return;
    }
    this.outbox.set(url, { subscriptionId, items: [item] });
    this.track(
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        const batch = this.outbox.get(url)!;
        this.outbox.delete(url);
        return this.post('notification', batch.subscriptionId, url, { value: batch.items });
      }),
    );
  }

  private notificationFor(sub: SimSubscription, event: StoreEvent): Json | undefined {
    const parts = normalizePath(`/${sub.resource.split('?')[0]}`)
      .split('/')
      .filter(Boolean);
    const base = {
      id: randomUUID(),
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      clientState: sub.clientState,
      changeType: event.changeType,
      tenantId: sub.tenantId,
    };
    if (event.kind === 'user') {
      if (parts[0]?.toLowerCase() !== 'users' || (parts[1] && parts[1] !== event.userId) || parts.length > 2) return;
      const resource = `Users/${event.userId}`;
      return {
        ...base,
        resource,
        resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': resource, id: event.userId },
      };
    }
    if (parts[0]?.toLowerCase() !== 'users' || !parts[1] || parts[parts.length - 1]?.toLowerCase() !== 'messages')
      return;
    const tenant = this.ctx.tenantOf(event.tenantId);
    const user = this.ctx.store.findUser(tenant, parts[1]);
    if (!user || String(user.id) !== event.mailbox.userId) return;
    if (parts[2]?.toLowerCase() === 'mailfolders' && parts[3]) {
      const folder = this.ctx.store.resolveFolder(event.mailbox, parts[3]);
      if (folder?.id !== event.message.parentFolderId) return;
    }
    const resource = `Users/${event.mailbox.userId}/Messages/${event.message.id}`;
    return {
      ...base,
      resource,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Message',
        '@odata.id': resource,
        '@odata.etag': `W/"${event.message.id.slice(-8)}"`,
        id: event.message.id,
      },
    };
  }

  private async post(kind: Delivery['kind'], subscriptionId: string | null, url: string, payload: unknown) {
    let delivery: Delivery;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': payload === undefined ? 'text/plain' : 'application/json' },
        body: payload === undefined ? '' : JSON.stringify(payload),
        signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
      });
      delivery = { kind, subscriptionId, url, payload, status: response.status, responseBody: await response.text() };
    } catch (error) {
      delivery = { kind, subscriptionId, url, payload, status: null, responseBody: '', error: String(error) };
    }
    this.deliveries.push(delivery);
    return delivery;
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private ofTenant(tenantId: string): SimSubscription[] {
    return [...this.subscriptions.values()].filter((s) => s.tenantId === tenantId);
  }

  private find(request: SimRequest, id: string): SimSubscription | undefined {
    const sub = this.subscriptions.get(id);
    if (!sub || sub.tenantId !== request.tenantId) return undefined;
    return Date.parse(sub.expirationDateTime) <= this.ctx.now() ? undefined : sub;
  }

  private missing(id: string) {
    return graphError(404, 'ResourceNotFound', `The object was not found. Subscription '${id}'.`);
  }

  private shape(sub: SimSubscription): Json {
    const { paused: _paused, tenantId: _tenantId, ...rest } = sub;
    return { ...rest, creatorId: sub.applicationId, latestSupportedTlsVersion: 'v1_2', includeResourceData: false };
  }
}
