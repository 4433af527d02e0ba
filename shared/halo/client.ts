import type { z } from 'zod';
import { formatIssues } from '../config/zodIssues';
import type { Logger } from '../runtime/logger';
import { createTokenFetcher } from './auth';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import { type BudgetGate, createBudgetGate, memoryLedger } from './budget/gate';
import type { UsageRecorder } from './budget/usage';
import { budgetRules, type HaloLane } from './budget/window';
import { createOnce, type FindExisting } from './createOnce';
import { HaloReportError, HaloResponseError } from './errors';
import { chunk, extractPage, HALO_MAX_PAGE_SIZE, isLastPage, writtenRecords } from './paging';
import { HALO_DEFAULT_RATE_LIMIT, type RateLimit } from './rateLimiter';
import {
  type ActionDraft,
  type AttachmentDraft,
  actionSchema,
  agentSchema,
  assetSchema,
  assetTypeSchema,
  attachmentSchema,
  type ClientPatch,
  clientSchema,
  type HaloAction,
  type HaloAgent,
  type HaloAsset,
  type HaloAssetType,
  type HaloAttachment,
  type HaloClientRecord,
  type HaloOutcome,
  type HaloPowerShellScript,
  type HaloReportRow,
  type HaloScriptRun,
  type HaloSite,
  type HaloStatus,
  type HaloTeam,
  type HaloTicket,
  type HaloTicketType,
  type HaloUser,
  outcomeSchema,
  powerShellScriptSchema,
  reportResponseSchema,
  type ScriptRunResult,
  scriptRunSchema,
  siteSchema,
  statusSchema,
  type TicketDraft,
  type TicketPatch,
  teamSchema,
  ticketSchema,
  ticketTypeSchema,
  type UserDraft,
  type UserPatch,
  userSchema,
} from './schemas';
import { createTokenCache } from './token';
import { type HaloStats, type Query, send, type TransportDeps } from './transport';
import { DEFAULT_USER_AGENT } from './version';

export interface HaloClientOptions {
  /** The instance root, e.g. `https://acme.halopsa.com`; a trailing `/api` is tolerated. */
  baseUrl: string;
  authUrl?: string;
  tenant?: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  rateLimit?: RateLimit;
  retry?: RetryPolicy;
  userAgent?: string;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** For jitter; tests pass a fixed one. */
  random?: () => number;
  fetch?: typeof fetch;
  /** A request with no answer after this long is abandoned (a write then has an unknown outcome). Default 100 s. */
  requestTimeoutMs?: number;
  /** After a write's answer is lost: wait this long before looking the records up. Default 2 s. */
  lookupSettleMs?: number;
  /**
   * The budget every request draws from: pass the deployment's shared one (createBudgetGate over the halobudget
   * table). Default: a budget in this process only, at `rateLimit` (all of it: nobody else is accounted for).
   */
  budget?: BudgetGate;
  /** Where requests per minute and flow are counted (the console's chart). Default: nowhere. */
  usage?: UsageRecorder;
  /** The lane of this client's requests (default interactive); `view()` gives other lanes. */
  lane?: HaloLane;
}

/** Which lane a client's requests take, and which flow they are counted for. */
export interface HaloClientView {
  /**
   * `interactive` (default): a mail becoming a ticket, a script result, a webhook's reads. `bulk`: syncs. Bulk work
   * is paced and leaves room for interactive work (shared/halo/budget/window.ts).
   */
  lane?: HaloLane;
  /** The flow requests are counted for; default: the function being run (shared/runtime/flow.ts). */
  flow?: string;
}

export interface ListOptions {
  query?: Query;
  /** Envelope key of the rows (`users`, `tickets`, …); bare arrays need none. */
  key?: string;
  /** Rows per page, at most 100 (Halo's cap). */
  pageSize?: number;
  /** Stop after this many rows. */
  maxRows?: number;
}

export interface UserQuery {
  client_id?: number;
  site_id?: number;
  search?: string;
  /** Exact match on Entra object id (`advanced_search`, filter_type 2). */
  azureoid?: string;
  includeInactive?: boolean;
  excludeGeneralUser?: boolean;
}

export interface TicketQuery {
  client_id?: number;
  user_id?: number;
  status_id?: number;
  open_only?: boolean;
  search?: string;
  [param: string]: string | number | boolean | undefined;
}

export interface HaloClient {
  get(path: string, query?: Query): Promise<unknown>;
  /**
   * Every row of a paged list (`pageinate`, 100 a page). Guarded against endpoints that ignore paging (a page
   * longer than asked, or one that repeats rows already seen, ends the loop).
   */
  list(path: string, options?: ListOptions): Promise<unknown[]>;
  /** Every row of an endpoint without documented paging (`/Actions`, `/Agent`, `/Team`): one GET. */
  listUnpaged(path: string, options?: { query?: Query; key?: string }): Promise<unknown[]>;
  /**
   * POSTs `items` in arrays of at most 100 and returns what Halo returned for all of them. `idempotent: true` for
   * updates by id (they may be re-sent after a lost answer); creates are never re-sent blindly (use createOnce).
   */
  post(
    path: string,
    items: readonly unknown[],
    options?: { chunkSize?: number; query?: Query; idempotent?: boolean },
  ): Promise<unknown[]>;
  /**
   * Creates each draft exactly once: a batch whose answer is lost is looked up with `find`, and only what it does
   * not find is sent again (see createOnce.ts).
   */
  createOnce<D>(path: string, drafts: readonly D[], find: FindExisting<D>): Promise<unknown[]>;

  getTicket(id: number, options?: { includeDetails?: boolean }): Promise<HaloTicket>;
  listTickets(query?: TicketQuery, options?: { maxRows?: number }): Promise<HaloTicket[]>;
  createTickets(drafts: readonly TicketDraft[]): Promise<HaloTicket[]>;
  createTicketsOnce(drafts: readonly TicketDraft[], find: FindExisting<TicketDraft>): Promise<HaloTicket[]>;
  updateTickets(patches: readonly TicketPatch[]): Promise<HaloTicket[]>;
  /** A ticket's actions as list rows: plain `note`, no email fields, `note_html` only with `includeHtmlNote`. */
  listActions(ticketId: number, options?: { includeHtmlNote?: boolean }): Promise<HaloAction[]>;
  /** One action in full (`GET /Actions/{id}?ticket_id=`), with its email fields when `includeEmail`. */
  getAction(ticketId: number, actionId: number, options?: { includeEmail?: boolean }): Promise<HaloAction>;
  addActions(actions: readonly ActionDraft[]): Promise<HaloAction[]>;
  addActionsOnce(actions: readonly ActionDraft[], find: FindExisting<ActionDraft>): Promise<HaloAction[]>;
  listUsers(query?: UserQuery): Promise<HaloUser[]>;
  createUsers(drafts: readonly UserDraft[]): Promise<HaloUser[]>;
  createUsersOnce(drafts: readonly UserDraft[], find: FindExisting<UserDraft>): Promise<HaloUser[]>;
  updateUsers(patches: readonly UserPatch[]): Promise<HaloUser[]>;
  listClients(options?: { includeAzureTenants?: boolean; includeInactive?: boolean }): Promise<HaloClientRecord[]>;
  updateClients(patches: readonly ClientPatch[]): Promise<HaloClientRecord[]>;
  listSites(query?: { client_id?: number; includeInactive?: boolean }): Promise<HaloSite[]>;
  listAgents(): Promise<HaloAgent[]>;
  listTeams(): Promise<HaloTeam[]>;
  listAssets(query?: { client_id?: number; site_id?: number; assettype_id?: number }): Promise<HaloAsset[]>;
  listAssetTypes(): Promise<HaloAssetType[]>;
  listStatuses(): Promise<HaloStatus[]>;
  listOutcomes(): Promise<HaloOutcome[]>;
  listTicketTypes(): Promise<HaloTicketType[]>;
  getPowerShellScripts(): Promise<HaloPowerShellScript[]>;
  getOutstandingScriptRuns(): Promise<HaloScriptRun[]>;
  markScriptRunsProcessed(results: readonly ScriptRunResult[]): Promise<HaloScriptRun[]>;
  /** Runs ad-hoc SQL (`_loadreportonly`); throws HaloReportError with Halo's `load_error`. */
  runReport(sql: string): Promise<HaloReportRow[]>;
  addAttachments(attachments: readonly AttachmentDraft[]): Promise<HaloAttachment[]>;
  /** Attaches each file once; `find` gets `{ticket_id, action_id?, filename}` per file still unconfirmed. */
  addAttachmentsOnce(
    attachments: readonly AttachmentDraft[],
    find: FindExisting<{ ticket_id: number; action_id?: number; filename: string }>,
  ): Promise<HaloAttachment[]>;
  /** A ticket's (or one action's) attachments, without their content. */
  listAttachments(query: { ticket_id: number; action_id?: number }): Promise<HaloAttachment[]>;

  /** The same client (token, budget, stats) for another lane or flow: `halo.view({ lane: 'bulk' })`. */
  view(view: HaloClientView): HaloClient;
  readonly lane: HaloLane;
  stats(): HaloStats;
}

function attachmentBody(a: AttachmentDraft) {
  return {
    ticket_id: a.ticket_id,
    ...(a.action_id === undefined ? {} : { action_id: a.action_id }),
    filename: a.filename,
    data_base64: Buffer.from(a.content).toString('base64'),
    ...(a.note === undefined ? {} : { note: a.note }),
  };
}

function rowId(row: unknown): unknown {
  return row !== null && typeof row === 'object' ? (row as { id?: unknown }).id : undefined;
}

function parseRows<T>(schema: z.ZodType<T>, rows: readonly unknown[], where: string): T[] {
  const parsed = schema.array().safeParse(rows);
  if (!parsed.success) throw new HaloResponseError(where, formatIssues(parsed.error).slice(0, 10));
  return parsed.data;
}

function parseOne<T>(schema: z.ZodType<T>, body: unknown, where: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HaloResponseError(where, formatIssues(parsed.error).slice(0, 10));
  return parsed.data;
}

export function createHaloClient(options: HaloClientOptions): HaloClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/api$/i, '');
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? fetch;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const stats: HaloStats = {
    requests: 0,
    retries: 0,
    throttledWaits: 0,
    tokenRequests: 0,
    rateLimited: 0,
    outcomesUnknown: 0,
    recoveredByLookup: 0,
    resentAfterLookup: 0,
    byPath: {},
  };

  const limit = options.rateLimit ?? HALO_DEFAULT_RATE_LIMIT;
  const budget =
    options.budget ??
    createBudgetGate({
      ledger: memoryLedger(),
      rules: budgetRules({
        limit: limit.requests,
        windowMs: limit.windowMs,
        share: 1,
        interactiveReserveShare: 0.1,
        maxLease: 10,
      }),
      now,
      sleep,
      log: options.log,
    });
  const fetchToken = createTokenFetcher({
    baseUrl,
    authUrl: options.authUrl,
    tenant: options.tenant,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: options.scope ?? 'all',
    userAgent,
    retry,
    fetch: doFetch,
    sleep,
    now,
    random,
    onTokenRequest: () => {
      stats.tokenRequests++;
    },
  });
  const tokens = createTokenCache(fetchToken, now);
  const core: TransportDeps = {
    apiUrl: `${baseUrl}/api`,
    userAgent,
    retry,
    budget,
    usage: options.usage,
    lane: options.lane ?? 'interactive',
    tokens,
    secrets: () => [options.clientSecret, ...tokens.known()],
    log: options.log,
    sleep,
    now,
    random,
    fetch: doFetch,
    stats,
    timeoutMs: options.requestTimeoutMs ?? 100_000,
  };
  return buildClient(core, options);
}

/** The client's operations over one transport (and so one lane and flow); `view` builds another over the same. */
function buildClient(deps: TransportDeps, options: Pick<HaloClientOptions, 'log' | 'lookupSettleMs'>): HaloClient {
  const { stats, sleep } = deps;

  const get = (path: string, query?: Query) => send(deps, { method: 'GET', path, query });

  const list = async (path: string, listOptions: ListOptions = {}): Promise<unknown[]> => {
    const pageSize = Math.min(listOptions.pageSize ?? HALO_MAX_PAGE_SIZE, HALO_MAX_PAGE_SIZE);
    const rows: unknown[] = [];
    const seen = new Set<unknown>();
    const finish = () => (listOptions.maxRows === undefined ? rows : rows.slice(0, listOptions.maxRows));
    for (let page = 1; ; page++) {
      const body = await get(path, { ...listOptions.query, pageinate: true, page_size: pageSize, page_no: page });
      const { rows: pageRows, recordCount } = extractPage(body, listOptions.key);
      const ids = pageRows.map(rowId);
      if (page > 1 && ids.length > 0 && ids.every((id) => id !== undefined && seen.has(id))) {
        options.log.warn('halo list ignored paging (a page repeated earlier rows); keeping the rows read', {
          path,
          rows: rows.length,
        });
        return finish();
      }
      for (const id of ids) if (id !== undefined) seen.add(id);
      rows.push(...pageRows);
      if (pageRows.length > pageSize) {
        // The endpoint answered everything at once: it does not page.
        return finish();
      }
      const done = isLastPage({
        returned: pageRows.length,
        requested: pageSize,
        collected: rows.length,
        recordCount,
        maxRows: listOptions.maxRows,
      });
      if (done) {
        if (recordCount !== undefined && rows.length < recordCount && listOptions.maxRows === undefined) {
          options.log.warn('halo list ended before record_count', { path, rows: rows.length, recordCount });
        }
        return finish();
      }
    }
  };

  const listUnpaged = async (path: string, unpaged: { query?: Query; key?: string } = {}): Promise<unknown[]> =>
    extractPage(await get(path, unpaged.query), unpaged.key).rows;

  const post = async (
    path: string,
    items: readonly unknown[],
    postOptions: { chunkSize?: number; query?: Query; idempotent?: boolean } = {},
  ): Promise<unknown[]> => {
    const out: unknown[] = [];
    for (const batch of chunk(items, Math.min(postOptions.chunkSize ?? HALO_MAX_PAGE_SIZE, HALO_MAX_PAGE_SIZE))) {
      const body = await send(deps, {
        method: 'POST',
        path,
        query: postOptions.query,
        body: batch,
        idempotent: postOptions.idempotent,
      });
      out.push(...writtenRecords(body));
    }
    return out;
  };

  /** Records that all carry an id are updates: sending them twice changes nothing more. */
  const isUpdate = (items: readonly unknown[]) =>
    items.every((item) => Number((item as { id?: unknown } | null)?.id ?? 0) > 0);

  const write = async <T>(schema: z.ZodType<T>, path: string, items: readonly unknown[]): Promise<T[]> =>
    items.length === 0
      ? []
      : parseRows(schema, await post(path, items, { idempotent: isUpdate(items) }), `POST ${path}`);

  const onceDeps = {
    post: (path: string, items: readonly unknown[]) => post(path, items, { idempotent: false }),
    sleep,
    log: options.log,
    settleMs: options.lookupSettleMs ?? 2_000,
    maxSends: 3,
    stats,
  };
  const writeOnce = async <D, T>(
    schema: z.ZodType<T>,
    path: string,
    drafts: readonly D[],
    find: FindExisting<D>,
  ): Promise<T[]> =>
    drafts.length === 0 ? [] : parseRows(schema, await createOnce(onceDeps, path, drafts, find), `POST ${path}`);

  return {
    get,
    list,
    listUnpaged,
    post,
    createOnce: (path, drafts, find) => createOnce(onceDeps, path, drafts, find),

    async getTicket(id, opts = {}) {
      const body = await get(`/Tickets/${id}`, { includedetails: opts.includeDetails ?? true });
      return parseOne(ticketSchema, body, `GET /Tickets/${id}`);
    },
    async listTickets(query = {}, opts = {}) {
      return parseRows(
        ticketSchema,
        await list('/Tickets', { key: 'tickets', query, maxRows: opts.maxRows }),
        'GET /Tickets',
      );
    },
    createTickets: (drafts) => write(ticketSchema, '/Tickets', drafts),
    createTicketsOnce: (drafts, find) => writeOnce(ticketSchema, '/Tickets', drafts, find),
    updateTickets: (patches) => write(ticketSchema, '/Tickets', patches),
    async listActions(ticketId, opts = {}) {
      const query = { ticket_id: ticketId, includehtmlnote: opts.includeHtmlNote || undefined };
      return parseRows(actionSchema, await listUnpaged('/Actions', { key: 'actions', query }), 'GET /Actions');
    },
    async getAction(ticketId, actionId, opts = {}) {
      const body = await get(`/Actions/${actionId}`, {
        ticket_id: ticketId,
        includeemail: opts.includeEmail || undefined,
      });
      return parseOne(actionSchema, body, `GET /Actions/${actionId}`);
    },
    addActions: (actions) => write(actionSchema, '/Actions', actions),
    addActionsOnce: (actions, find) => writeOnce(actionSchema, '/Actions', actions, find),
    async listUsers(query = {}) {
      const params: Record<string, string | number | boolean | undefined> = {
        client_id: query.client_id,
        site_id: query.site_id,
        search: query.search,
        includeinactive: query.includeInactive,
        exclude_generaluser: query.excludeGeneralUser,
      };
      if (query.azureoid !== undefined) {
        params.advanced_search = JSON.stringify([
          { filter_name: 'azureoid', filter_type: 2, filter_value: query.azureoid },
        ]);
      }
      return parseRows(userSchema, await list('/Users', { key: 'users', query: params }), 'GET /Users');
    },
    createUsers: (drafts) => write(userSchema, '/Users', drafts),
    createUsersOnce: (drafts, find) => writeOnce(userSchema, '/Users', drafts, find),
    updateUsers: (patches) => write(userSchema, '/Users', patches),
    async listClients(opts = {}) {
      const query = { includeazuretenants: opts.includeAzureTenants, includeinactive: opts.includeInactive };
      return parseRows(clientSchema, await list('/Client', { key: 'clients', query }), 'GET /Client');
    },
    updateClients: (patches) => write(clientSchema, '/Client', patches),
    async listSites(query = {}) {
      const params = { client_id: query.client_id, includeinactive: query.includeInactive };
      return parseRows(siteSchema, await list('/Site', { key: 'sites', query: params }), 'GET /Site');
    },
    listAgents: async () => parseRows(agentSchema, await listUnpaged('/Agent', { key: 'agents' }), 'GET /Agent'),
    listTeams: async () => parseRows(teamSchema, await listUnpaged('/Team', { key: 'teams' }), 'GET /Team'),
    async listAssets(query = {}) {
      return parseRows(assetSchema, await list('/Asset', { key: 'assets', query }), 'GET /Asset');
    },
    listAssetTypes: async () => parseRows(assetTypeSchema, extractPage(await get('/AssetType')).rows, 'GET /AssetType'),
    listStatuses: async () => parseRows(statusSchema, extractPage(await get('/Status')).rows, 'GET /Status'),
    listOutcomes: async () => parseRows(outcomeSchema, extractPage(await get('/Outcome')).rows, 'GET /Outcome'),
    listTicketTypes: async () =>
      parseRows(ticketTypeSchema, extractPage(await get('/TicketType')).rows, 'GET /TicketType'),
    getPowerShellScripts: async () =>
      parseRows(powerShellScriptSchema, extractPage(await get('/PowerShellScript')).rows, 'GET /PowerShellScript'),
    async getOutstandingScriptRuns() {
      const rows = await list('/PowerShellScriptProcessing', {
        query: { outstandingonly: true, includeparameters: true },
      });
      return parseRows(scriptRunSchema, rows, 'GET /PowerShellScriptProcessing');
    },
    markScriptRunsProcessed: (results) =>
      write(
        scriptRunSchema,
        '/PowerShellScriptProcessing',
        results.map((r) => ({ id: r.id, processed: true, success: r.success, result_message: r.result_message })),
      ),
    async runReport(sql) {
      const body = await send(deps, {
        method: 'POST',
        path: '/Report',
        body: [{ id: 0, name: '', sql, apiquery_id: 0, _testonly: false, _loadreportonly: true }],
        // An ad-hoc report saves nothing: it is a read.
        idempotent: true,
      });
      const [first] = writtenRecords(body);
      const response = parseOne(reportResponseSchema, first, 'POST /Report');
      const report = response.report;
      if (report?.load_error) throw new HaloReportError(report.load_error);
      if (!report || !Array.isArray(report.rows)) throw new HaloResponseError('POST /Report', ['report.rows: missing']);
      return report.rows;
    },
    addAttachments: (attachments) => write(attachmentSchema, '/Attachment', attachments.map(attachmentBody)),
    addAttachmentsOnce: (attachments, find) =>
      writeOnce(attachmentSchema, '/Attachment', attachments.map(attachmentBody), find),
    async listAttachments(query) {
      const body = await get('/Attachment', { ticket_id: query.ticket_id, action_id: query.action_id });
      return parseRows(attachmentSchema, extractPage(body, 'attachments').rows, 'GET /Attachment');
    },

    view: (view) =>
      buildClient({ ...deps, lane: view.lane ?? deps.lane, ...(view.flow ? { flow: view.flow } : {}) }, options),
    lane: deps.lane,
    stats() {
      return { ...stats, throttledWaits: deps.budget.stats().waits, byPath: { ...stats.byPath } };
    },
  };
}
