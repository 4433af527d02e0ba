import { createHash, type KeyObject, randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import type { AppSettings } from '../config/appSettings';
import { type IntegrationConfig, parseIntegrationConfig } from '../config/integration';
import { fixedConfig, type LiveConfig } from '../config/liveConfig';
import { createGraphClientFactory, type GraphClientFactory } from '../graph';
import type { GraphCredentialOptions } from '../graph/credentials';
import { createHaloClient } from '../halo';
import { type BudgetGate, createBudgetGate, memoryLedger } from '../halo/budget/gate';
import { budgetHistory } from '../halo/budget/history';
import { documentLedger, haloBudgetKey } from '../halo/budget/ledger';
import { createUsageRecorder } from '../halo/budget/usage';
import { budgetRules } from '../halo/budget/window';
import { importPrivateKey } from '../jobs';
import { type Clock, systemClock } from '../runtime/clock';
import type { Logger } from '../runtime/logger';
import { createLogger, type LogSink } from '../runtime/logger';
import { KeyVaultSecretProvider, LocalSecretProvider, type SecretProvider } from '../secrets';
import {
  checkpointStore,
  connectionFromAppSettings,
  dedupeStore,
  HOST_MAX_DEQUEUE_COUNT,
  haloBudgetStore,
  haloUsageStore,
  jobStore,
  mailLogStore,
  queueFailureStore,
  reportStore,
  retentionStore,
  runStore,
  type StorageConnection,
  subscriptionStore,
  workerStore,
} from '../storage';
import type { Container, GraphAppOptions } from './container';

export interface ContainerOptions {
  readonly sink: LogSink;
  /** The Azure identity of the app (DefaultAzureCredential in Azure); used for Key Vault and identity-based storage. */
  readonly azureCredential?: () => TokenCredential;
  /** Local development and tests: options for the Key Vault fake. */
  readonly keyVaultClientOptions?: SecretClientOptions;
  /** A secret store to use instead of the one the settings name (tests, the local demo). */
  readonly secrets?: SecretProvider;
  /** The clock for everything that waits or compares times (default: the system clock). */
  readonly clock?: Clock;
  /** Only the time (sleeps stay real): a shorthand for tests that set the time but never wait. */
  readonly now?: () => Date;
  /** host.json extensions.queues.maxDequeueCount, when it is not the default. */
  readonly maxDequeueCount?: number;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Builds every client from settings and config. Reads no environment: the caller passes everything in. A LiveConfig
 * (the config blob) makes `container.config` follow the newest valid document without rebuilding anything.
 */
export function buildContainer(
  settings: AppSettings,
  config: IntegrationConfig | LiveConfig,
  options: ContainerOptions,
): Container {
  const live = 'current' in config ? config : fixedConfig(config, 'the given config', isEmptyConfig(config));
  const clock = options.clock ?? (options.now ? { ...systemClock, now: options.now } : systemClock);
  const now = () => clock.now();
  const secrets = options.secrets ?? secretProviderFor(settings, options, clock);
  const knownSecrets = () => [...settings.secretValues, ...knownValuesOf(secrets)];
  const log = createLogger({ sink: options.sink, secrets: knownSecrets, level: options.logLevel ?? 'info' });
  const credential = lazy(() => {
    if (!options.azureCredential) throw new Error('this configuration needs an Azure credential');
    return options.azureCredential();
  });
  const storage = connectionFromAppSettings(settings, settings.AzureWebJobsStorage ? undefined : credential());
  const haloLog = log.child({ component: 'halo' });
  const usageStore = haloUsageStore(storage);
  const usage = createUsageRecorder({
    sink: usageStore,
    instance: randomUUID().slice(0, 8),
    now: Date.now,
    log: haloLog,
  });
  const budget = haloBudgetFor(settings, storage, haloLog);
  const halo = createHaloClient({
    baseUrl: settings.HALO_BASE_URL,
    authUrl: settings.HALO_AUTH_URL,
    tenant: settings.HALO_TENANT,
    clientId: settings.HALO_CLIENT_ID,
    clientSecret: settings.HALO_CLIENT_SECRET,
    scope: settings.HALO_SCOPE,
    rateLimit: {
      requests: settings.HALO_RATE_LIMIT_REQUESTS,
      windowMs: settings.HALO_RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
    requestTimeoutMs: settings.HALO_REQUEST_TIMEOUT_SECONDS * 1000,
    lookupSettleMs: settings.HALO_LOOKUP_SETTLE_MS,
    budget,
    usage,
    log: haloLog,
    now: () => clock.now().getTime(),
    sleep: (ms) => clock.sleep(ms),
  });
  let signingKey: Promise<KeyObject> | undefined;
  return {
    settings,
    get config() {
      return live.current();
    },
    configStatus: () => live.status(),
    log,
    clock,
    now,
    queueDelivery: { maxDequeueCount: options.maxDequeueCount ?? HOST_MAX_DEQUEUE_COUNT },
    halo,
    graph: graphFactoryFor(settings, log, clock),
    graphForApp: graphAppsFor(settings, log, clock),
    secrets,
    storage,
    stores: {
      checkpoints: checkpointStore(storage, { now }),
      dedupe: dedupeStore(storage, { now }),
      runs: runStore(storage, { now }),
      jobs: jobStore(storage, { now }),
      mailLog: mailLogStore(storage, { now }),
      subscriptions: subscriptionStore(storage),
      workers: workerStore(storage, { now }),
      queueFailures: queueFailureStore(storage, { now }),
      retention: retentionStore(storage),
    },
    reports: reportStore(storage),
    haloBudget: {
      history: budgetHistory(usageStore, {
        requests: budget.rules.budget,
        windowSeconds: settings.HALO_RATE_LIMIT_WINDOW_SECONDS,
      }),
      flushUsage: () => usage.flush(),
    },
    jobSigningKey() {
      signingKey ??= secrets.get(settings.JOB_SIGNING_KEY_SECRET_NAME).then(importPrivateKey);
      signingKey.catch(() => {
        signingKey = undefined;
      });
      return signingKey;
    },
  };
}

/**
 * The Halo budget this process draws from: at HALO_BUDGET_SHARE of Halo's limit, in Table storage for every
 * instance and the CLI (HALO_BUDGET_SCOPE=deployment, keyed by the Halo instance), or in this process only.
 */
function haloBudgetFor(settings: AppSettings, storage: StorageConnection, log: Logger): BudgetGate {
  const rules = budgetRules({
    limit: settings.HALO_RATE_LIMIT_REQUESTS,
    windowMs: settings.HALO_RATE_LIMIT_WINDOW_SECONDS * 1000,
    share: settings.HALO_BUDGET_SHARE,
    interactiveReserveShare: settings.HALO_BUDGET_INTERACTIVE_RESERVE,
    maxLease: settings.HALO_BUDGET_MAX_LEASE,
  });
  const key = haloBudgetKey(settings.HALO_BASE_URL, settings.HALO_TENANT);
  const ledger =
    settings.HALO_BUDGET_SCOPE === 'deployment' ? documentLedger(haloBudgetStore(storage), key, log) : memoryLedger();
  return createBudgetGate({
    ledger,
    rules,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log,
  });
}

function secretProviderFor(settings: AppSettings, options: ContainerOptions, clock: Clock): SecretProvider {
  if (settings.KEY_VAULT_URL) {
    if (!options.azureCredential) throw new Error('KEY_VAULT_URL is set but no Azure credential was provided');
    return new KeyVaultSecretProvider({
      vaultUrl: settings.KEY_VAULT_URL,
      credential: options.azureCredential(),
      clientOptions: options.keyVaultClientOptions,
      now: () => clock.now().getTime(),
    });
  }
  if (settings.LOCAL_SECRETS_FILE) return LocalSecretProvider.fromFile(settings.LOCAL_SECRETS_FILE);
  return new LocalSecretProvider({});
}

function graphFactoryFor(settings: AppSettings, log: Container['log'], clock: Clock): GraphClientFactory | undefined {
  if (!settings.GRAPH_CLIENT_ID || !settings.GRAPH_HOME_TENANT_ID) return undefined;
  const credential: GraphCredentialOptions = settings.GRAPH_CLIENT_SECRET
    ? { kind: 'secret', secret: settings.GRAPH_CLIENT_SECRET }
    : settings.GRAPH_CERTIFICATE_PEM
      ? { kind: 'certificate', pem: settings.GRAPH_CERTIFICATE_PEM }
      : { kind: 'managedIdentity', clientId: settings.AZURE_CLIENT_ID };
  return createGraphClientFactory({
    clientId: settings.GRAPH_CLIENT_ID,
    credential,
    homeTenantId: settings.GRAPH_HOME_TENANT_ID,
    baseUrl: settings.GRAPH_BASE_URL,
    authorityHost: settings.GRAPH_AUTHORITY_HOST,
    log: log.child({ component: 'graph' }),
    sleep: (ms) => clock.sleep(ms),
  });
}

/** One factory (and token cache) per app, tenant and credential: a rotated secret gets a new one. */
function graphAppsFor(
  settings: AppSettings,
  log: Container['log'],
  clock: Clock,
): (app: GraphAppOptions) => GraphClientFactory {
  const factories = new Map<string, GraphClientFactory>();
  return (app) => {
    const proof =
      app.credential.kind === 'secret'
        ? app.credential.secret
        : app.credential.kind === 'certificate'
          ? app.credential.pem
          : (app.credential.clientId ?? '');
    const fingerprint = createHash('sha256').update(proof).digest('base64url');
    const key = [app.clientId.toLowerCase(), app.homeTenantId.toLowerCase(), app.credential.kind, fingerprint].join(
      '|',
    );
    let factory = factories.get(key);
    if (!factory) {
      factory = createGraphClientFactory({
        clientId: app.clientId,
        credential: app.credential,
        homeTenantId: app.homeTenantId,
        baseUrl: settings.GRAPH_BASE_URL,
        authorityHost: settings.GRAPH_AUTHORITY_HOST,
        log: log.child({ component: 'graph', clientId: app.clientId }),
        sleep: (ms) => clock.sleep(ms),
      });
      factories.set(key, factory);
    }
    return factory;
  };
}

function knownValuesOf(secrets: SecretProvider): readonly string[] {
  const withValues = secrets as SecretProvider & { knownValues?: () => readonly string[] };
  return withValues.knownValues?.() ?? [];
}

const EMPTY_CONFIG_JSON = JSON.stringify(parseIntegrationConfig({}));

/** A parsed config equal to the one `{}` parses to: nothing was configured. */
function isEmptyConfig(config: IntegrationConfig): boolean {
  const { $schema: _schema, ...rest } = config;
  return JSON.stringify(rest) === EMPTY_CONFIG_JSON;
}

function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: make() };
    return value.v;
  };
}
