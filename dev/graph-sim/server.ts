import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type FaultDecision, FaultEngine, faultControl, renderStatus } from '../faults';
import { type DevTls, loadDevTls } from '../tls';
import { type BatchItem, serveBatch } from './batch';
import { ConsentSim } from './consent';
import type { SimContext } from './context';
import type { DeltaExpiry } from './delta';
import { attachDirectories } from './directory';
import { directoryDeltaRoutes } from './directoryDelta';
import { directoryRoutes } from './directoryRoutes';
import { entraError, findTenant, issueToken, openIdConfiguration } from './entra';
import { graphError, matchRoute, normalizePath, type Route, type SimRequest, type SimResponse } from './http';
import { createIntuneSim, type IntuneSimControl, type IntuneThrottle } from './intune';
import { licenceRoutes } from './licences';
import { mailRoutes, type SentMail } from './mailRoutes';
import { type GraphSeed, loadDemoGraphSeed, type ParsedGraphSeed, parseGraphSeed } from './seed';
import { GraphStore, type Json } from './store';
import {
  type Delivery,
  type LifecycleEvent,
  type LifecycleOptions,
  type SimSubscription,
  SubscriptionService,
} from './subscriptions';
import { TokenIssuer } from './tokens';

export interface GraphSimulatorOptions {
  /** The world to serve; defaults to dev/demo-data/graph.json. */
  seed?: GraphSeed | ParsedGraphSeed;
  port?: number;
  tls?: DevTls;
  /** Clock in ms (tests move it forward to expire subscriptions). */
  now?: () => number;
  tokenLifetimeSeconds?: number;
  /** Seed of the fault engine's PRNG (probability rules). */
  faultSeed?: number;
  /** Intune's per-tenant limit (default 2,000 requests per 20 s); tests scale it down. */
  intuneThrottle?: IntuneThrottle;
}

/** A message as it arrives from outside (`deliverMail`, `POST /_sim/mail`). */
export interface IncomingMail {
  from: string;
  fromName?: string;
  subject?: string;
  body?: string;
  bodyType?: 'text' | 'html';
  to?: string[];
  receivedDateTime?: string;
  internetMessageId?: string;
  internetMessageHeaders?: { name: string; value: string }[];
  conversationId?: string;
  attachments?: { name: string; contentType: string; contentBase64: string }[];
  /**
   * Graph properties set exactly as given, after the message is built: odd types (`hasAttachments: "true"`),
   * nulls, shapes our parser must survive. A value of null removes nothing; the property is sent as null.
   */
  overrides?: Record<string, unknown>;
}

export interface SimRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly tenantId: string | undefined;
  readonly route: string;
  readonly status: number;
  readonly scope: 'request' | 'batch' | 'token';
  /** The fault that changed this request's fate (`status`, `drop`, `lostAnswer`), if any. */
  readonly fault?: string;
}

export interface GraphSimulator {
  /** Graph base URL, e.g. https://127.0.0.1:PORT (requests go to `${url}/v1.0/...`). */
  readonly url: string;
  /** Entra authority host (the same server). */
  readonly authorityHost: string;
  readonly store: GraphStore;
  readonly faults: FaultEngine;
  /** Service principals, app role assignments, GDAP access and mailbox scopes (dev/graph-sim/consent.ts). */
  readonly consent: ConsentSim;
  /** Intune: devices, detected apps, the throttle, devices an unfiltered list misses. */
  readonly intune: IntuneSimControl;
  stop(): Promise<void>;
  /** Requests per route name (`users.list`, `messages.delta`, `token`, `$batch`, …); batch items count too. */
  counters(filter?: { tenantId?: string }): Record<string, number>;
  requests(): readonly SimRequestRecord[];
  deliveries(): readonly Delivery[];
  subscriptions(): readonly SimSubscription[];
  sentMail(): readonly SentMail[];
  /** Waits for every notification/validation delivery started so far. */
  settled(): Promise<void>;
  /** Drops a message into a mailbox's Inbox as if received; returns the message id. */
  deliverMail(mailbox: string, message: IncomingMail): string;
  expireDeltaTokens(answer?: Partial<DeltaExpiry>): void;
  /** Which messages delta items come partial from now on (default `updates`, as Graph does). */
  partialDeltaMessages(mode: 'updates' | 'all'): void;
  triggerLifecycle(subscriptionId: string, event: LifecycleEvent, options?: LifecycleOptions): boolean;
  revokeConsent(tenantId: string): void;
  restoreConsent(tenantId: string): void;
}

export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const seed = options.seed ? parseGraphSeed(options.seed) : loadDemoGraphSeed();
  const store = new GraphStore(seed);
  const issuer = new TokenIssuer();
  const faults = new FaultEngine({ seed: options.faultSeed });
  const now = options.now ?? Date.now;
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const log: SimRequestRecord[] = [];
  const sent: SentMail[] = [];
  let baseUrl = '';
  const ctx: SimContext = {
    store,
    baseUrl: () => baseUrl,
    now,
    deltaExpiry: { status: 410, code: 'SyncStateNotFound' },
    partialMessages: 'updates',
    tenantOf: (tenantId) => store.requireTenant(tenantId),
  };
  const subscriptions = new SubscriptionService(ctx);
  const partnerTenantId = () => [...store.tenants.values()].find((t) => t.customers.length > 0)?.id;
  const consent = new ConsentSim(store, issuer, now, () => baseUrl, partnerTenantId);
  attachDirectories(store);
  const intune = createIntuneSim(ctx, { throttle: options.intuneThrottle });
  const routes: Route[] = [
    ...intune.routes(),
    ...directoryDeltaRoutes(ctx),
    ...directoryRoutes(ctx),
    ...licenceRoutes(ctx),
    ...mailRoutes(ctx, sent),
    ...subscriptions.routes(),
    ...consent.routes(),
  ];

  const record = (entry: SimRequestRecord) => log.push(entry);

  const dispatch = async (request: SimRequest): Promise<{ response: SimResponse; route: string }> => {
    const match = matchRoute(routes, request.method, request.path);
    if (!match) {
      const segment = request.path.split('/').filter(Boolean).pop() ?? '';
      return {
        response: graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
        route: 'unknown',
      };
    }
    return { response: await match.route.handle(request, match.params), route: match.route.name };
  };

  const runBatchItem = async (outer: SimRequest, item: BatchItem, version: string): Promise<SimResponse> => {
    const itemUrl = new URL(item.url.replace(/^\/?/, '/'), 'https://batch.invalid');
    const request: SimRequest = {
      method: item.method.toUpperCase(),
      path: `${version}${normalizePath(itemUrl.pathname)}`,
      query: itemUrl.searchParams,
      headers: lowerKeys(item.headers ?? {}),
      body: item.body,
      tenantId: outer.tenantId,
    };
    const target = {
      method: request.method,
      path: request.path + itemUrl.search,
      tenantId: outer.tenantId,
      scope: 'batch' as const,
    };
    let route = 'fault';
    const outcome = await withFaults(faults.decide(target), true, async () => {
      const served = await dispatch(request);
      route = served.route;
      return served.response;
    });
    const response = outcome.response as SimResponse;
    record({ ...target, route, status: response.status, ...faultField(outcome.fault) });
    return response;
  };

  const handleGraph = async (req: IncomingMessage, url: URL, rawBody: string): Promise<SimResponse | 'drop'> => {
    const auth = authenticate(req.headers.authorization);
    // v1.0 paths are served without their prefix; beta ones keep `/beta` (only beta-only routes name it).
    const path = normalizePath(url.pathname.replace(/^\/v1\.0/, '')) || '/';
    if ('response' in auth) {
      record({
        method: req.method!,
        path,
        tenantId: undefined,
        route: 'unauthorized',
        status: auth.response.status,
        scope: 'request',
      });
      return auth.response;
    }
    const target = { method: req.method!, path: path + url.search, tenantId: auth.tenantId, scope: 'request' as const };
    let route = 'fault';
    const outcome = await withFaults(faults.decide(target), false, async () => {
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        route = 'unparsed';
        return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
      const request: SimRequest = {
        method: req.method!,
        path,
        query: url.searchParams,
        headers: lowerKeys(req.headers as Record<string, string>),
        body,
        tenantId: auth.tenantId,
      };
      const denied = consent.authorize(request);
      if (denied) {
        route = 'denied';
        return denied;
      }
      if ((path === '/$batch' || path === '/beta/$batch') && request.method === 'POST') {
        route = '$batch';
        return serveBatch(request, (item) => runBatchItem(request, item, path.startsWith('/beta') ? '/beta' : ''));
      }
      const served = await dispatch(request);
      route = served.route;
      return served.response;
    });
    const status = outcome.response === 'drop' ? 0 : outcome.response.status;
    record({ ...target, route, status, ...faultField(outcome.fault) });
    return outcome.response;
  };

  const authenticate = (header: string | undefined): { tenantId: string } | { response: SimResponse } => {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
    if (!token) return { response: graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.') };
    const claims = issuer.verify(token, Math.floor(now() / 1000));
    if (claims === 'invalid') {
      return {
        response: graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
      };
    }
    if (claims === 'expired') {
      return {
        response: graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'),
      };
    }
    const delegated = consent.authenticateDelegated(claims);
    if (delegated) return delegated;
    const tenant = store.tenant(claims.tid);
    // Consent is the multitenant app's; an app registered in the tenant itself needs none.
    const ownApp = tenant?.apps.some((a) => a.clientId.toLowerCase() === claims.appid.toLowerCase()) ?? false;
    if (!tenant || (!ownApp && !tenant.consented)) {
      return {
        response: graphError(
          401,
          'Authorization_IdentityNotFound',
          'The identity of the calling application could not be established.',
        ),
      };
    }
    return { tenantId: tenant.id };
  };

  const handleEntra = async (
    req: IncomingMessage,
    url: URL,
    rawBody: string,
  ): Promise<SimResponse | 'drop' | undefined> => {
    const config = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (config && req.method === 'GET') {
      record({
        method: 'GET',
        path: url.pathname,
        tenantId: config[1],
        route: 'openid-configuration',
        status: 200,
        scope: 'token',
      });
      return openIdConfiguration(baseUrl, config[1]!);
    }
    if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(url.pathname)) return { status: 200, body: { keys: [] } };
    const partnerSignIn = /^\/([^/]+)\/oauth2\/v2\.0\/(devicecode|token)$/.exec(url.pathname);
    const signIn = partnerSignIn && consent.entra(partnerSignIn[1]!, url.pathname, new URLSearchParams(rawBody));
    if (signIn) return signIn;
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (!token || req.method !== 'POST') return undefined;
    const tenantId = findTenant(store, token[1]!)?.id ?? token[1]!;
    const target = { method: 'POST', path: url.pathname, tenantId, scope: 'token' as const };
    const outcome = await withFaults(faults.decide(target), false, async () =>
      issueToken(store, issuer, token[1]!, new URLSearchParams(rawBody), now(), lifetime),
    );
    if (outcome.fault === 'status' && outcome.response !== 'drop') outcome.response = entraStyled(outcome.response);
    const status = outcome.response === 'drop' ? 0 : outcome.response.status;
    record({
      ...target,
      route: outcome.fault && outcome.fault !== 'lostAnswer' ? 'fault' : 'token',
      status,
      ...faultField(outcome.fault),
    });
    return outcome.response;
  };

  const handleControl = (req: IncomingMessage, url: URL, rawBody: string): SimResponse | undefined => {
    const body = rawBody ? (JSON.parse(rawBody) as Json) : {};
    if (url.pathname === '/_sim/faults') {
      const answer = faultControl(faults, req.method ?? 'GET', rawBody ? body : undefined);
      return { status: answer.status, body: answer.body };
    }
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /_sim/counters':
        return { status: 200, body: sim.counters({ tenantId: url.searchParams.get('tenantId') ?? undefined }) };
      case 'GET /_sim/requests':
        return { status: 200, body: log };
      case 'GET /_sim/deliveries':
        return { status: 200, body: subscriptions.deliveries };
      case 'GET /_sim/sent-mail':
        return { status: 200, body: sent };
      case 'POST /_sim/mail':
        return {
          status: 201,
          body: { id: sim.deliverMail(String(body.mailbox), body.message as unknown as IncomingMail) },
        };
      case 'POST /_sim/expire-delta-tokens':
        sim.expireDeltaTokens(body as Partial<DeltaExpiry>);
        return { status: 204 };
      case 'POST /_sim/partial-delta-messages':
        sim.partialDeltaMessages(body.mode === 'all' ? 'all' : 'updates');
        return { status: 204 };
      case 'POST /_sim/lifecycle':
        return {
          status: sim.triggerLifecycle(String(body.subscriptionId), body.event as LifecycleEvent, {
            ...(body.shape === 'observed' ? { shape: 'observed' as const } : {}),
            ...(body.via === 'notificationUrl' ? { via: 'notificationUrl' as const } : {}),
          })
            ? 204
            : 404,
        };
      case 'POST /_sim/consent':
        if (body.consented === false) sim.revokeConsent(String(body.tenantId));
        else sim.restoreConsent(String(body.tenantId));
        return { status: 204 };
      default:
        return undefined;
    }
  };

  const server = createServer(options.tls ?? loadDevTls(), (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, graphError(500, 'InternalServerError', `Simulator error: ${String(error)}`));
    });
  });
  // Graph's front end keeps idle connections for minutes; Node's 5-second default closes them under a client that is
  // about to reuse one (a reset no real Graph would cause this often).
  server.keepAliveTimeout = 65_000;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const rawBody = await readBody(req);
    let response: SimResponse | 'drop' | undefined;
    if (url.pathname.startsWith('/_sim/')) response = handleControl(req, url, rawBody);
    else if (/^\/(v1\.0|beta)(\/|$)/.test(url.pathname)) response = await handleGraph(req, url, rawBody);
    else response = await handleEntra(req, url, rawBody);
    if (response === 'drop') {
      req.socket.destroy();
      return;
    }
    write(res, response ?? graphError(404, 'NotFound', `No simulator endpoint for ${req.method} ${url.pathname}`));
  };

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sim: GraphSimulator = {
    url: baseUrl,
    authorityHost: baseUrl,
    store,
    faults,
    consent,
    intune,
    async stop() {
      await subscriptions.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    counters(filter = {}) {
      const out: Record<string, number> = {};
      for (const entry of log) {
        if (filter.tenantId && entry.tenantId?.toLowerCase() !== filter.tenantId.toLowerCase()) continue;
        out[entry.route] = (out[entry.route] ?? 0) + 1;
      }
      return out;
    },
    requests: () => log,
    deliveries: () => subscriptions.deliveries,
    subscriptions: () => [...subscriptions.subscriptions.values()],
    sentMail: () => sent,
    settled: () => subscriptions.settled(),
    deliverMail(mailboxRef, message) {
      const target = store.findMailboxByAddress(mailboxRef) ?? findMailboxByUser(store, mailboxRef);
      if (!target) throw new Error(`no simulated mailbox ${mailboxRef}`);
      const inbox = store.resolveFolder(target.mailbox, 'inbox')!;
      const { overrides, ...seed } = message;
      const built = store.buildMessage(
        target.mailbox,
        { ...seed, receivedDateTime: seed.receivedDateTime ?? new Date(now()).toISOString() },
        inbox.id,
      );
      Object.assign(built, overrides ?? {});
      store.placeMessage(target.tenant, target.mailbox, built, 'created');
      return built.id;
    },
    expireDeltaTokens(answer = {}) {
      store.deltaEpoch += 1;
      ctx.deltaExpiry = { status: answer.status ?? 410, code: answer.code ?? 'SyncStateNotFound' };
    },
    partialDeltaMessages(mode) {
      ctx.partialMessages = mode;
    },
    triggerLifecycle: (id, event, lifecycle) => subscriptions.triggerLifecycle(id, event, lifecycle),
    revokeConsent(tenantId) {
      store.requireTenant(tenantId).consented = false;
    },
    restoreConsent(tenantId) {
      store.requireTenant(tenantId).consented = true;
    },
  };
  return sim;
}

/**
 * Runs a request under its faults: latency first; then a status answers instead, a drop loses the connection (a
 * 504 inside `$batch`), and a lost answer serves the request, then drops or answers a gateway error.
 */
async function withFaults(
  decision: FaultDecision,
  inBatch: boolean,
  serve: () => Promise<SimResponse>,
): Promise<{ response: SimResponse | 'drop'; fault?: string }> {
  if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  const fault = decision.terminal;
  if (!fault) return { response: await serve() };
  if (fault.kind === 'status') {
    const rendered = renderStatus(fault, { style: 'graph' });
    const json = /json/.test(rendered.headers['content-type'] ?? '');
    const { 'content-type': _type, ...headers } = rendered.headers;
    const named = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k === 'retry-after' ? 'Retry-After' : k, v]),
    );
    return {
      response: {
        status: rendered.status,
        headers: named,
        body: json ? JSON.parse(rendered.payload) : rendered.payload,
      },
      fault: 'status',
    };
  }
  if (fault.kind === 'drop') {
    return {
      response: inBatch ? graphError(504, 'GatewayTimeout', 'The request timed out (simulated drop).') : 'drop',
      fault: 'drop',
    };
  }
  await serve();
  if (fault.answer === 'drop' && !inBatch) return { response: 'drop', fault: 'lostAnswer' };
  const status = fault.answer === 502 ? 502 : 504;
  const code = status === 502 ? 'BadGateway' : 'GatewayTimeout';
  return { response: graphError(status, code, 'The answer was lost (simulated).'), fault: 'lostAnswer' };
}

/**
 * A fault on the token endpoint answers the way Entra does, not the way Graph does: `error`,
 * `error_description` with an AADSTS code, `error_codes` (AADSTS90055 TenantThrottlingError for 429, AADSTS90033
 * for 5xx; which code Entra's throttling answers carry is not documented). A rule's own `body` is sent as it is.
 */
function entraStyled(response: SimResponse): SimResponse {
  const graphStyle = (response.body as { error?: { code?: unknown } } | undefined)?.error;
  if (typeof graphStyle !== 'object' || graphStyle === null) return response;
  const throttled = response.status === 429;
  const entra = entraError(
    response.status,
    throttled ? 'temporarily_unavailable' : 'server_error',
    throttled ? 90055 : 90033,
    throttled
      ? 'There are too many incoming requests. Try again later.'
      : 'A transient error has occurred. Please try again.',
  );
  return { ...entra, headers: { ...(response.headers ?? {}), ...(entra.headers ?? {}) } };
}

function faultField(fault: string | undefined): { fault?: string } {
  return fault ? { fault } : {};
}

function findMailboxByUser(store: GraphStore, ref: string) {
  for (const tenant of store.tenants.values()) {
    const mailbox = store.mailboxOf(tenant, ref);
    if (mailbox) return { tenant, mailbox };
  }
  return undefined;
}

function lowerKeys(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload = '';
  if (typeof response.body === 'string') {
    payload = response.body;
    if (!headers['Content-Type']) headers['Content-Type'] = 'text/plain';
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['Content-Type'] = 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}
