import type { Logger } from '../runtime/logger';
import { createTenantRequester, type GraphRequester, type GraphRetryOptions } from './client';
import type { GraphCredentialOptions } from './credentials';
import { type MailOperations, mailOperations } from './mailOperations';
import { GraphStats, type GraphStatsSnapshot } from './stats';
import { type SubscriptionOperations, subscriptionOperations } from './subscriptionOperations';
import { type TenantOperations, tenantOperations } from './tenantOperations';

export interface GraphClientFactoryOptions {
  readonly clientId: string;
  readonly credential: GraphCredentialOptions;
  readonly homeTenantId: string;
  /** `https://graph.microsoft.com`, or the simulator's https URL. */
  readonly baseUrl: string;
  /** `https://login.microsoftonline.com`, or the simulator's. Must be https. */
  readonly authorityHost: string;
  readonly log: Logger;
  readonly retry?: GraphRetryOptions;
  /** Used between $batch retry rounds; tests inject a recording no-op. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Token scope; default `https://graph.microsoft.com/.default`. */
  readonly scope?: string;
  /**
   * When Entra throttles a tenant's token requests, MSAL holds them for Retry-After (60 s without one): blocks that
   * end within this many seconds are waited out and the token asked for again; longer ones fail at once with the
   * time they end. Default 90.
   */
  readonly tokenThrottleMaxWaitSeconds?: number;
}

/** Everything a flow can do against one tenant. */
export type TenantGraphClient = GraphRequester & TenantOperations & MailOperations & SubscriptionOperations;

export interface GraphClientFactory {
  /** The cached client for a tenant (one credential and token cache per tenant). */
  forTenant(tenantId: string): TenantGraphClient;
  /** The home (partner) tenant's client. */
  home(): TenantGraphClient;
  /** Requests sent (retries included) per tenant and path kind, e.g. `users/mailFolders/messages/delta`. */
  stats(): GraphStatsSnapshot;
  resetStats(): void;
}

export function createGraphClientFactory(options: GraphClientFactoryOptions): GraphClientFactory {
  for (const [name, value] of [
    ['baseUrl', options.baseUrl],
    ['authorityHost', options.authorityHost],
  ] as const) {
    if (!/^https:\/\//i.test(value)) throw new Error(`graph ${name} must be an https:// URL (got ${value})`);
  }
  const stats = new GraphStats();
  const clients = new Map<string, TenantGraphClient>();
  const secrets = options.credential.kind === 'secret' ? [options.credential.secret] : [];
  const retry = {
    maxRetries: Math.min(10, options.retry?.maxRetries ?? 3),
    delaySeconds: options.retry?.delaySeconds ?? 3,
    maxBatchRetries: options.retry?.maxBatchRetries ?? 3,
  };
  const forTenant = (tenantId: string): TenantGraphClient => {
    const key = tenantId.toLowerCase();
    const cached = clients.get(key);
    if (cached) return cached;
    const requester = createTenantRequester({
      tenantId: key,
      homeTenantId: options.homeTenantId,
      clientId: options.clientId,
      credential: options.credential,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      authorityHost: options.authorityHost.replace(/\/+$/, ''),
      scope: options.scope ?? 'https://graph.microsoft.com/.default',
      retry,
      stats,
      log: options.log.child({ tenantId: key }),
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      secrets,
      tokenThrottleMaxWaitSeconds: options.tokenThrottleMaxWaitSeconds ?? 90,
    });
    const client: TenantGraphClient = {
      ...requester,
      ...tenantOperations(requester, options.log.child({ tenantId: key })),
      ...mailOperations(requester),
      ...subscriptionOperations(requester),
    };
    clients.set(key, client);
    return client;
  };
  return {
    forTenant,
    home: () => forTenant(options.homeTenantId),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
  };
}
