import {
  AuthenticationHandler,
  Client,
  type GraphRequest,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../runtime/logger';
import { type BatchRequest, type BatchResponse, readBatchResponses, runBatches } from './batch';
import { ConnectionResetRetry } from './connectionResetRetry';
import { CountingMiddleware } from './countingMiddleware';
import { credentialForTenant, type GraphCredentialOptions } from './credentials';
import { type DeltaPage, type DeltaResult, deltaPageError, deltaPathOf, isAbsoluteLink, runDeltaRound } from './delta';
import { type GraphCallContext, toGraphAccessError } from './errors';
import type { ItemParser } from './parse';
import type { GraphStats } from './stats';
import { TenantTokenCache } from './tokenCache';
import { TokenEndpointWatch } from './tokenEndpointWatch';

export interface GraphRetryOptions {
  /** Retries of a single request on 429/503/504 (the SDK's RetryHandler; at most 10). Default 3. */
  readonly maxRetries?: number;
  /** Seconds to wait when Graph sends no Retry-After (the SDK backs off from here). Default 3. */
  readonly delaySeconds?: number;
  /** Rounds of re-sending throttled $batch items. Default 3. */
  readonly maxBatchRetries?: number;
}

export interface RequestOptions {
  readonly select?: readonly string[];
  readonly top?: number;
  readonly filter?: string;
  readonly orderby?: string;
  /** `beta` for endpoints Graph documents only there (e.g. a device's detected apps); default v1.0. */
  readonly version?: GraphVersion;
  readonly headers?: Readonly<Record<string, string>>;
  /** What the call is for, to make errors actionable. */
  readonly context?: Omit<GraphCallContext, 'tenantId' | 'clientId'>;
  /**
   * `refusalsOnly`: retry only a 429 (Graph did nothing). For a write that must not happen twice and cannot be looked
   * up afterwards (sendMail): after a 503/504 or a lost connection it may have happened, so it is not re-sent.
   */
  readonly retry?: 'refusalsOnly';
}

export interface DeltaOptions {
  readonly select?: readonly string[];
  /** Only on the first request of a round: Graph encodes it into every later link. */
  readonly filter?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly context?: Omit<GraphCallContext, 'tenantId' | 'clientId'>;
}

/** The primitives every typed operation is built on, bound to one tenant. Errors are GraphAccessErrors. */
export interface GraphRequester {
  readonly tenantId: string;
  get(path: string, options?: RequestOptions): Promise<unknown>;
  post(path: string, body: unknown, options?: RequestOptions): Promise<unknown>;
  patch(path: string, body: unknown, options?: RequestOptions): Promise<unknown>;
  delete(path: string, options?: RequestOptions): Promise<void>;
  /** Every item of a collection: follows `@odata.nextLink` to the end (never builds links itself). */
  getAll(path: string, options?: RequestOptions): Promise<unknown[]>;
  /**
   * A delta round from a path (full sync) or a stored deltaLink; restarts with a full sync when Graph says so.
   * Items are read one by one: one that `parse` refuses is skipped with its reason, the round goes on.
   */
  delta<T = Record<string, unknown>>(
    pathOrDeltaLink: string,
    options?: DeltaOptions & { parse?: ItemParser<T> },
  ): Promise<DeltaResult<T>>;
  /**
   * One page of a delta round: the round's first request (a path; `select` and `filter` apply) or a nextLink or
   * deltaLink followed as it is. A link Graph no longer accepts throws DeltaResyncRequiredError.
   */
  deltaPage(pathOrLink: string, options?: DeltaOptions): Promise<DeltaPage>;
  /** `$batch` in groups of 20; throttled items retried in new batches. Responses by request id. */
  batch(requests: readonly BatchRequest[], options?: { version?: GraphVersion }): Promise<Map<string, BatchResponse>>;
}

export type GraphVersion = 'v1.0' | 'beta';

export interface TenantClientOptions {
  readonly tenantId: string;
  readonly homeTenantId: string;
  readonly clientId: string;
  readonly credential: GraphCredentialOptions;
  readonly baseUrl: string;
  readonly authorityHost: string;
  readonly scope: string;
  readonly retry: Required<GraphRetryOptions>;
  readonly stats: GraphStats;
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly secrets: readonly string[];
  /** A throttled token endpoint's block is waited out when it ends within this many seconds (else thrown). */
  readonly tokenThrottleMaxWaitSeconds: number;
}

export function createTenantRequester(options: TenantClientOptions): GraphRequester {
  const { tenantId, log } = options;
  const watch = new TokenEndpointWatch();
  const tokens = new TenantTokenCache(
    () =>
      credentialForTenant({
        tenantId,
        homeTenantId: options.homeTenantId,
        clientId: options.clientId,
        credential: options.credential,
        authorityHost: options.authorityHost,
        additionalPolicies: [watch.policy],
      }),
    options.scope,
    {
      watch,
      sleep: options.sleep,
      maxThrottleWaitMs: options.tokenThrottleMaxWaitSeconds * 1000,
      context: { tenantId, clientId: options.clientId, operation: 'token' },
    },
  );
  const auth = new AuthenticationHandler({ getAccessToken: () => tokens.get() });
  const retry = new RetryHandler(new RetryHandlerOptions(options.retry.delaySeconds, options.retry.maxRetries));
  const client = Client.initWithMiddleware({
    baseUrl: `${options.baseUrl}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(options.baseUrl).hostname]),
    middleware: [
      auth,
      retry,
      new ConnectionResetRetry(),
      new CountingMiddleware(options.stats, tenantId),
      new HTTPMessageHandler(),
    ],
  });

  const fail = (error: unknown, options2?: RequestOptions | DeltaOptions) =>
    toGraphAccessError(error, { tenantId, clientId: options.clientId, ...(options2?.context ?? {}) }, options.secrets);

  /** Fetches the token first so identity failures surface as themselves, not wrapped by the Graph client. */
  const call = async <T>(run: () => Promise<T>, requestOptions?: RequestOptions | DeltaOptions): Promise<T> => {
    try {
      await tokens.get();
      return await run();
    } catch (error) {
      throw fail(error, requestOptions);
    }
  };

  const build = (path: string, requestOptions: RequestOptions = {}, withQuery = true): GraphRequest => {
    let request = client.api(path);
    if (requestOptions.version) request = request.version(requestOptions.version);
    if (withQuery) {
      if (requestOptions.select?.length) request = request.select([...requestOptions.select]);
      if (requestOptions.top !== undefined) request = request.top(requestOptions.top);
      if (requestOptions.filter) request = request.filter(requestOptions.filter);
      if (requestOptions.orderby) request = request.orderby(requestOptions.orderby);
    }
    if (requestOptions.headers) request = request.headers({ ...requestOptions.headers });
    if (requestOptions.retry === 'refusalsOnly') {
      const refusedOnly = (_d: number, _a: number, _r: unknown, _o: unknown, response: Response) =>
        response.status === 429;
      request = request.middlewareOptions([
        new RetryHandlerOptions(options.retry.delaySeconds, options.retry.maxRetries, refusedOnly),
      ]);
    }
    return request;
  };

  const fetchDeltaPage = async (target: string, o: DeltaOptions, first: boolean): Promise<DeltaPage> => {
    const fresh = first && !isAbsoluteLink(target);
    const page = (await build(target, { select: o.select, filter: o.filter, headers: o.headers }, fresh).get()) as Page;
    return {
      value: Array.isArray(page.value) ? page.value : [],
      nextLink: page['@odata.nextLink'],
      deltaLink: page['@odata.deltaLink'],
    };
  };

  const requester: GraphRequester = {
    tenantId,
    get: (path, o) => call(() => build(path, o).get(), o),
    post: (path, body, o) => call(() => build(path, o).post(body), o),
    patch: (path, body, o) => call(() => build(path, o).patch(body), o),
    delete: (path, o) => call(async () => void (await build(path, o).delete()), o),
    getAll: (path, o) =>
      call(async () => {
        const items: unknown[] = [];
        let page = (await build(path, o).get()) as Page;
        for (;;) {
          items.push(...(Array.isArray(page.value) ? page.value : []));
          const next = page['@odata.nextLink'];
          if (!next) return items;
          page = (await build(next, o, false).get()) as Page;
        }
      }, o),
    delta: (pathOrLink, o = {}) =>
      call(async () => {
        const fullSyncStart = isAbsoluteLink(pathOrLink) ? deltaPathOf(pathOrLink) : pathOrLink;
        const result = await runDeltaRound({
          start: pathOrLink,
          fullSyncStart,
          parse: o.parse ?? anyObject,
          fetchPage: (target, first) => fetchDeltaPage(target, o, first),
        });
        for (const item of result.skipped)
          log.warn('graph delta item skipped', { tenantId, path: fullSyncStart, ...item });
        if (result.resyncReason) {
          log.warn('graph delta restarted with a full sync', {
            tenantId,
            path: fullSyncStart,
            reason: result.resyncReason,
          });
        }
        return result;
      }, o),
    deltaPage: async (pathOrLink, o = {}) => {
      try {
        return await call(() => fetchDeltaPage(pathOrLink, o, true), o);
      } catch (error) {
        throw deltaPageError(error, tenantId);
      }
    },
    batch: (requests, batchOptions) =>
      call(() =>
        runBatches({
          requests,
          maxRetries: options.retry.maxBatchRetries,
          sleep: options.sleep,
          send: async (part) => {
            const answer = await client
              .api('/$batch')
              .version(batchOptions?.version ?? 'v1.0')
              .post({ requests: part.map(toBatchItem) });
            return readBatchResponses(answer, part, (problem: { index: number; reason: string }) =>
              log.warn('graph $batch answer item unreadable', problem),
            );
          },
        }),
      ),
  };
  return requester;
}

const anyObject: ItemParser<never> = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ok: true, value: value as never }
    : { ok: false, reason: 'not an object' };

interface Page {
  value?: unknown[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

function toBatchItem(request: BatchRequest) {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  return {
    id: request.id,
    method: request.method,
    url: request.url,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.dependsOn?.length ? { dependsOn: [...request.dependsOn] } : {}),
  };
}
