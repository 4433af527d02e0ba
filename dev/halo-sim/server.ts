import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  FaultEngine,
  faultControl,
  gatewayAnswer,
  haloRateLimitAnswer,
  type RenderedAnswer,
  renderStatus,
} from '../faults';
import { type ActionOutcome, addAction, approveStep } from './automation';
import { denormaliseDirectory } from './directory';
import { handleResource, type Params } from './resources';
import { loadDemoHaloSeed } from './seed';
import { SimError, validationError } from './simError';
import { createStore, type HaloSimStore } from './store';
import type { HaloSeed, Rec, SimWebhook, WebhookDelivery } from './types';
import { createWebhookDispatcher, SIM_EVENTS, type WebhookConfig } from './webhooks';

export interface HaloSimulatorOptions {
  /** Starting data; the demo universe (dev/demo-data/halo.json) by default. */
  seed?: HaloSeed;
  host?: string;
  port?: number;
  /** Halo's rolling window; `false` turns it off. Default 300 requests per 5 minutes. */
  rateLimit?: { requests: number; windowMs: number } | false;
  /**
   * Hosted Halo: the token is served by a separate auth host (its own port here) that authinfo names, and requires
   * `?tenant=`; the instance itself has no `/auth`. Self-hosted (the default): `<instance>/auth/token`.
   */
  hosted?: { tenant: string };
  /** Seed of the fault engine's PRNG (probability rules). */
  faultSeed?: number;
  clientId?: string;
  clientSecret?: string;
  tokenExpiresInSeconds?: number;
  /** The agent API calls act as (default: agent 1, "API Agent"). */
  apiAgentId?: number;
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The status sent; -1 when the connection was dropped without an answer. */
  status: number;
  userAgent: string;
  body?: unknown;
  /** The fault that changed this request's fate (`drop`, `status`, `lostAnswer`), if any. */
  fault?: string;
  /** Lost answers: the status the request was really served with before the answer was lost. */
  servedStatus?: number;
}

export interface SimCounters {
  total: number;
  rateLimited: number;
  faults: number;
  tokensIssued: number;
  byEndpoint: Record<string, number>;
}

export interface AgentActionInput {
  ticket_id: number;
  outcome_id: number;
  note?: string;
  agent_id?: number;
  new_status?: number;
}

export interface AutomationResult {
  action?: Rec;
  approval?: Rec;
  scriptRun?: Rec;
  deliveries: WebhookDelivery[];
}

export interface HaloSimulator {
  /** The instance root (`http://127.0.0.1:P`); the API is `${url}/api`. */
  readonly url: string;
  /** The authorisation server (`<url>/auth` self-hosted, a separate origin when hosted). */
  readonly authUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenant: string | undefined;
  readonly store: HaloSimStore;
  readonly faults: FaultEngine;
  counters(): SimCounters;
  requests(): readonly SimRequest[];
  resetCounters(): void;
  /** Makes every issued token expire now (the next API call gets 401). */
  expireTokens(): void;
  configureWebhook(config: WebhookConfig): SimWebhook;
  /** Fires `event` about a ticket to the configured webhooks, as Halo's notification engine would. */
  deliverWebhook(
    event: string,
    context: { ticketId: number; action?: Rec; message?: string },
  ): Promise<WebhookDelivery[]>;
  flushWebhookBatches(): Promise<WebhookDelivery[]>;
  /** An agent adds an action in Halo's UI: records it, queues its script, delivers the webhooks. */
  agentAddsAction(input: AgentActionInput): Promise<AutomationResult>;
  /** An approver approves a ticket's approval step. */
  approveStep(input: { ticket_id: number; step_id?: number }): Promise<AutomationResult>;
  stop(): Promise<void>;
}

const DEFAULT_CLIENT_ID = 'halo-bridge-dev';
const DEFAULT_CLIENT_SECRET = 'halo-sim-secret-not-real';
const MAX_LOGGED_REQUESTS = 5000;

const agentActionSchema = z.object({
  ticket_id: z.number().int().positive(),
  outcome_id: z.number().int().positive(),
  note: z.string().optional(),
  agent_id: z.number().int().positive().optional(),
  new_status: z.number().int().positive().optional(),
});
const approveSchema = z.object({
  ticket_id: z.number().int().positive(),
  step_id: z.number().int().positive().optional(),
});
const webhookConfigSchema = z.object({
  url: z.url(),
  name: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  payloadType: z.enum(['full', 'small', 'event']).optional(),
  events: z.array(z.string().min(1)).min(1),
  batch: z.boolean().optional(),
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw validationError('The request body is not valid JSON');
  }
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): RenderedAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    payload: JSON.stringify(body ?? null),
  };
}

function write(res: ServerResponse, answer: RenderedAnswer): void {
  if (answer.status === 204) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(answer.status, answer.headers);
  res.end(answer.payload);
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export async function startHaloSimulator(options: HaloSimulatorOptions = {}): Promise<HaloSimulator> {
  const store = createStore(options.seed ?? loadDemoHaloSeed());
  denormaliseDirectory(store);
  const faults = new FaultEngine({ seed: options.faultSeed });
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const tenant = options.hosted?.tenant;
  const rateLimit =
    options.rateLimit === false ? undefined : (options.rateLimit ?? { requests: 300, windowMs: 300_000 });
  const rateLimitMessage = rateLimit
    ? `Rate Limit Reached - ${rateLimit.requests} Requests per rolling ${Math.round(rateLimit.windowMs / 60_000)} minute window`
    : '';
  const expiresIn = options.tokenExpiresInSeconds ?? 3600;
  const tokens = new Map<string, number>();
  const windowLog: number[] = [];
  const log: SimRequest[] = [];
  let counters: SimCounters = { total: 0, rateLimited: 0, faults: 0, tokensIssued: 0, byEndpoint: {} };
  const webhooks = createWebhookDispatcher(store, () => new Date());
  const apiAgent = (): Rec => store.tables.agents.get(options.apiAgentId ?? 1) ?? { id: 1, name: 'API Agent' };
  let url = '';
  let authUrl = '';

  const fireForAction = async (outcome: ActionOutcome): Promise<WebhookDelivery[]> => {
    const ticketId = Number(outcome.action.ticket_id);
    const agentId = Number(outcome.action.who_agentid);
    const deliveries = await webhooks.fire(SIM_EVENTS.actionAdded, { ticketId, action: outcome.action, agentId });
    if (outcome.statusChanged) {
      deliveries.push(
        ...(await webhooks.fire(SIM_EVENTS.statusChanged, { ticketId, action: outcome.action, agentId })),
      );
    }
    return deliveries;
  };

  const agentAddsAction = async (input: AgentActionInput): Promise<AutomationResult> => {
    const parsed = agentActionSchema.safeParse(input);
    if (!parsed.success) throw validationError(zodMessage(parsed.error));
    const agent = store.tables.agents.get(parsed.data.agent_id ?? 2) ?? {
      id: parsed.data.agent_id ?? 2,
      name: 'Agent',
    };
    const outcome = addAction(store, parsed.data, agent, new Date());
    const deliveries = await fireForAction(outcome);
    return { action: outcome.action, scriptRun: outcome.scriptRun, deliveries };
  };

  const approve = async (input: { ticket_id: number; step_id?: number }): Promise<AutomationResult> => {
    const parsed = approveSchema.safeParse(input);
    if (!parsed.success) throw validationError(zodMessage(parsed.error));
    const { approval, scriptRun } = approveStep(
      store,
      { ticketId: parsed.data.ticket_id, stepId: parsed.data.step_id },
      new Date(),
    );
    const deliveries = await webhooks.fire(SIM_EVENTS.approvalApproved, { ticketId: parsed.data.ticket_id, approval });
    return { approval, scriptRun, deliveries };
  };

  const count = (key: string) => {
    counters.byEndpoint[key] = (counters.byEndpoint[key] ?? 0) + 1;
  };

  const withinRateLimit = (): boolean => {
    if (!rateLimit) return true;
    const now = Date.now();
    while (windowLog.length > 0 && windowLog[0]! <= now - rateLimit.windowMs) windowLog.shift();
    if (windowLog.length >= rateLimit.requests) return false;
    windowLog.push(now);
    return true;
  };

  const bearerValid = (req: IncomingMessage): boolean => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const expiresAt = match ? tokens.get(match[1]!) : undefined;
    return expiresAt !== undefined && expiresAt > Date.now();
  };

  const issueToken = (q: URLSearchParams, form: URLSearchParams): { status: number; body: unknown } => {
    if (tenant !== undefined && q.get('tenant') !== tenant) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'The tenant parameter is required' } };
    }
    if (form.get('grant_type') !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return { status: 401, body: { error: 'invalid_client' } };
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + expiresIn * 1000);
    counters.tokensIssued++;
    return {
      status: 200,
      body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: form.get('scope') ?? 'all' },
    };
  };

  const handleSim = async (
    req: IncomingMessage,
    path: string,
    text: string,
  ): Promise<{ status: number; body: unknown }> => {
    const method = req.method ?? 'GET';
    const route = `${method} ${path.toLowerCase()}`;
    if (path.toLowerCase() === '/_sim/faults') return faultControl(faults, method, parseJson(text));
    switch (route) {
      case 'GET /_sim/counters':
        return { status: 200, body: counters };
      case 'GET /_sim/requests':
        return { status: 200, body: log };
      case 'POST /_sim/reset-counters':
        sim.resetCounters();
        return { status: 204, body: null };
      case 'POST /_sim/expire-tokens':
        sim.expireTokens();
        return { status: 204, body: null };
      case 'POST /_sim/webhooks': {
        const parsed = webhookConfigSchema.safeParse(parseJson(text));
        if (!parsed.success) throw validationError(zodMessage(parsed.error));
        const { password: _hidden, ...shown } = webhooks.configure(parsed.data);
        return { status: 200, body: shown };
      }
      case 'POST /_sim/webhooks/flush':
        return { status: 200, body: await webhooks.flush() };
      case 'POST /_sim/agent/actions':
        return { status: 200, body: await agentAddsAction(parseJson(text) as AgentActionInput) };
      case 'POST /_sim/agent/approve':
        return { status: 200, body: await approve(parseJson(text) as { ticket_id: number }) };
      default:
        throw new SimError(404, { Message: `No simulator control at ${route}` });
    }
  };

  const handleWebhookApi = (method: string, segments: string[], q: Params, body: unknown) => {
    const name = segments[0]!.toLowerCase();
    if (name === 'webhookevent') {
      const id = q.get('webhook_id');
      const rows = store.deliveries.filter((d) => !id || d.webhook_id === id);
      return { status: 200, body: { record_count: rows.length, webhookevents: rows } };
    }
    if (method === 'GET') {
      return {
        status: 200,
        body: [...store.webhooks.values()].map(({ password: _p, ...w }) => ({
          ...w,
          authentication_type: w.username ? 1 : 0,
          basic_username: w.username,
        })),
      };
    }
    if (!Array.isArray(body)) throw validationError('The request body must be a JSON array');
    const created = body.map((item: Record<string, unknown>) => {
      const events = Array.isArray(item.events)
        ? (item.events as unknown[]).map((e) => (typeof e === 'string' ? e : String((e as Rec).name ?? '')))
        : [];
      const parsed = webhookConfigSchema.safeParse({
        url: item.url,
        name: item.name,
        username: item.basic_username,
        password: item.basic_password,
        payloadType: item.payload_type,
        events,
        batch: item.batch,
      });
      if (!parsed.success) throw validationError(zodMessage(parsed.error));
      const { password: _hidden, ...shown } = webhooks.configure(parsed.data);
      return shown;
    });
    return { status: 200, body: created.length === 1 ? created[0] : created };
  };

  /** The API proper (after faults): tokens, authinfo, the rolling window, the bearer, then the resources. */
  const serve = (req: IncomingMessage, host: 'instance' | 'auth', parsedUrl: URL, text: string): RenderedAnswer => {
    const path = parsedUrl.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const lower = path.toLowerCase();
    if (host === 'auth') {
      if (method === 'POST' && lower === '/token') {
        const answer = issueToken(parsedUrl.searchParams, new URLSearchParams(text));
        return jsonAnswer(answer.status, answer.body);
      }
      return jsonAnswer(404, { Message: `No HTTP resource was found that matches ${path}` });
    }
    if (method === 'POST' && lower === '/auth/token' && tenant === undefined) {
      const answer = issueToken(parsedUrl.searchParams, new URLSearchParams(text));
      return jsonAnswer(answer.status, answer.body);
    }
    if (method === 'GET' && lower === '/api/authinfo') {
      return jsonAnswer(200, { auth_url: authUrl, ...(tenant ? { tenant_id: tenant } : {}) });
    }
    const segments = path.split('/').filter(Boolean);
    if (segments[0]?.toLowerCase() !== 'api' || segments.length < 2) {
      return jsonAnswer(404, { Message: `No HTTP resource was found that matches ${path}` });
    }
    if (!withinRateLimit()) {
      counters.rateLimited++;
      return haloRateLimitAnswer(rateLimitMessage);
    }
    if (!bearerValid(req)) {
      return jsonAnswer(401, {
        error: 'invalid_token',
        error_description: 'The access token is missing, invalid or expired',
      });
    }
    const apiSegments = segments.slice(1);
    const q: Params = new Map([...parsedUrl.searchParams].map(([k, v]) => [k.toLowerCase(), v] as const));
    const resource = apiSegments[0]!.toLowerCase();
    try {
      const body = parseJson(text);
      const answer =
        resource === 'webhook' || resource === 'webhookevent'
          ? handleWebhookApi(method, apiSegments, q, body)
          : handleResource(
              { store, now: new Date(), agent: apiAgent(), onAction: () => {} },
              method,
              apiSegments,
              q,
              body,
            );
      return jsonAnswer(answer.status, answer.body);
    } catch (error) {
      if (error instanceof SimError) return jsonAnswer(error.status, error.body);
      throw error;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, host: 'instance' | 'auth'): Promise<void> => {
    const parsedUrl = new URL(req.url ?? '/', 'http://localhost');
    const path = parsedUrl.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const text = await readBody(req);

    if (host === 'instance' && path.toLowerCase().startsWith('/_sim/')) {
      const answer = await handleSim(req, path, text);
      write(res, answer.status === 204 ? jsonAnswer(204, null) : jsonAnswer(answer.status, answer.body));
      return;
    }

    const segments = path.split('/').filter(Boolean);
    const isToken = host === 'auth' || path.toLowerCase().startsWith('/auth');
    const key = isToken ? `${method} /auth/token` : `${method} /${segments.slice(0, 2).join('/').toLowerCase()}`;
    const entry: SimRequest = {
      method,
      path: host === 'auth' ? `/auth${path}` : path,
      query: Object.fromEntries(parsedUrl.searchParams),
      status: 0,
      userAgent: String(req.headers['user-agent'] ?? ''),
      ...(text && !isToken ? { body: safeJson(text) } : {}),
    };
    counters.total++;
    count(key);
    log.push(entry);
    if (log.length > MAX_LOGGED_REQUESTS) log.shift();

    const decision = faults.decide({
      method,
      path: `${path}${parsedUrl.search}`,
      scope: isToken ? 'token' : 'request',
    });
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    const fault = decision.terminal;
    if (fault?.kind === 'drop') {
      counters.faults++;
      Object.assign(entry, { status: -1, fault: 'drop' });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      counters.faults++;
      if (fault.status === 429) counters.rateLimited++;
      const answer = renderStatus(fault, { style: 'halo', haloRateLimitMessage: rateLimitMessage || undefined });
      Object.assign(entry, { status: answer.status, fault: 'status' });
      write(res, answer);
      return;
    }
    const answer = serve(req, host, parsedUrl, text);
    if (fault?.kind === 'lostAnswer') {
      counters.faults++;
      Object.assign(entry, { fault: 'lostAnswer', servedStatus: answer.status });
      if (fault.answer === 'drop') {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      const gateway = gatewayAnswer(fault.answer);
      entry.status = gateway.status;
      write(res, gateway);
      return;
    }
    entry.status = answer.status;
    write(res, answer);
  };

  const listener = (host: 'instance' | 'auth') => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, host).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const answer =
        error instanceof SimError
          ? jsonAnswer(error.status, error.body)
          : jsonAnswer(500, { ClassName: 'System.Exception', Message: (error as Error).message });
      write(res, answer);
      const last = log[log.length - 1];
      if (last && last.status === 0) last.status = answer.status;
    });
  };
  const listen = async (server: Server, port: number) => {
    await new Promise<void>((resolve) => server.listen(port, options.host ?? '127.0.0.1', resolve));
    return `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  };
  const server = createServer(listener('instance'));
  url = await listen(server, options.port ?? 0);
  // Hosted Halo's token lives on its own host (auth.haloservicedesk.com in Halo's docs): a second origin here.
  const authServer = tenant !== undefined ? createServer(listener('auth')) : undefined;
  authUrl = authServer ? await listen(authServer, 0) : `${url}/auth`;
  const close = (target: Server) =>
    new Promise<void>((resolve, reject) => {
      target.closeAllConnections();
      target.close((error) => (error ? reject(error) : resolve()));
    });

  const sim: HaloSimulator = {
    url,
    authUrl,
    clientId,
    clientSecret,
    tenant,
    store,
    faults,
    counters: () => structuredClone(counters),
    requests: () => [...log],
    resetCounters() {
      counters = { total: 0, rateLimited: 0, faults: 0, tokensIssued: 0, byEndpoint: {} };
      log.length = 0;
      windowLog.length = 0;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    configureWebhook: (config) => webhooks.configure(webhookConfigSchema.parse(config)),
    deliverWebhook: (event, context) => webhooks.fire(event, context),
    flushWebhookBatches: () => webhooks.flush(),
    agentAddsAction,
    approveStep: approve,
    stop: async () => {
      await close(server);
      if (authServer) await close(authServer);
    },
  };
  return sim;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
