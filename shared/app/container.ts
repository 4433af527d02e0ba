import type { KeyObject } from 'node:crypto';
import type { AppSettings } from '../config/appSettings';
import type { IntegrationConfig } from '../config/integration';
import type { ConfigStatus } from '../config/liveConfig';
import type { GraphClientFactory } from '../graph';
import type { GraphCredentialOptions } from '../graph/credentials';
import type { HaloClient } from '../halo';
import type { BudgetHistory } from '../halo/budget/history';
import type { Clock } from '../runtime/clock';
import type { Logger } from '../runtime/logger';
import type { SecretProvider } from '../secrets';
import type {
  CheckpointStore,
  DedupeStore,
  JobStore,
  MailLogStore,
  QueueFailureStore,
  ReportStore,
  RetentionStore,
  RunStore,
  StorageConnection,
  SubscriptionStore,
  WorkerStore,
} from '../storage';

export interface StateStores {
  readonly checkpoints: CheckpointStore;
  readonly dedupe: DedupeStore;
  readonly runs: RunStore;
  readonly jobs: JobStore;
  readonly mailLog: MailLogStore;
  readonly subscriptions: SubscriptionStore;
  readonly workers: WorkerStore;
  readonly queueFailures: QueueFailureStore;
  /** Deletes expired history rows (the stateRetention timer). */
  readonly retention: RetentionStore;
}

/** An app registration in one tenant (its home tenant): which app, and how it proves itself. */
export interface GraphAppOptions {
  readonly clientId: string;
  readonly homeTenantId: string;
  readonly credential: GraphCredentialOptions;
}

/**
 * Everything a function handler needs, built once by the composition root from the settings (or by the local
 * stack and the tests from theirs). Handlers receive it; they never build clients or read the environment.
 */
export interface Container {
  readonly settings: AppSettings;
  /** The config in use: with a config blob, the newest valid document (revalidated by the composition root). */
  readonly config: IntegrationConfig;
  /** Whether the config is usable: empty, missing, unreadable or invalid documents are reported, never hidden. */
  configStatus(): ConfigStatus;
  readonly log: Logger;
  /** The clock everything waits on and compares times with (a SimulatedClock in tests). */
  readonly clock: Clock;
  /** `clock.now`, for the many places that only read the time. */
  readonly now: () => Date;
  /** How the host delivers queue messages (host.json extensions.queues), for the queue consumers. */
  readonly queueDelivery: { readonly maxDequeueCount: number };
  readonly halo: HaloClient;
  /** Absent when no Graph app is configured: mail and tenant sync then report themselves as not configured. */
  readonly graph: GraphClientFactory | undefined;
  /**
   * Graph for an app registration of its own (an Entra ID connection with its own client id and secret or
   * certificate), against the same Graph and authority hosts as `graph`; cached per app and credential.
   */
  graphForApp(app: GraphAppOptions): GraphClientFactory;
  readonly secrets: SecretProvider;
  readonly storage: StorageConnection;
  readonly stores: StateStores;
  readonly reports: ReportStore;
  /** The shared Halo budget's history (requests per minute by flow, 429s) for the console, and a usage flush. */
  readonly haloBudget: { readonly history: BudgetHistory; flushUsage(): Promise<void> };
  /** The Ed25519 private key that signs jobs, read from the secret store (JOB_SIGNING_KEY_SECRET_NAME). */
  jobSigningKey(): Promise<KeyObject>;
}
