/**
 * Every queue, table and blob container the app uses. Infrastructure (infra/) creates exactly these, and a test
 * checks that it does, so add new names here and nowhere else.
 */
export const QUEUES = {
  haloEvents: 'halo-events',
  jobResults: 'job-results',
  /** The syncs' per-source messages: contacts (tenant sync), Entra ID, Intune (one queue per sync kind). */
  tenantSync: 'tenant-sync',
  entraSync: 'entra-sync',
  intuneSync: 'intune-sync',
  mailboxScan: 'mailbox-scan',
} as const;

/** Each worker group has its own jobs queue. Queue names: 3-63 chars, lowercase letters, digits and single dashes. */
export function jobsQueueName(workerGroup: string): string {
  return `jobs-${workerGroup}`;
}

export function poisonQueueName(queue: string): string {
  return `${queue}-poison`;
}

export const TABLES = {
  checkpoints: 'checkpoints',
  subscriptions: 'subscriptions',
  dedupe: 'dedupe',
  jobs: 'jobs',
  runs: 'runs',
  mailLog: 'maillog',
  workers: 'workers',
  queueFailures: 'queuefailures',
  /** The shared Halo rate budget: one row per Halo instance, drawn from by every instance and the CLI. */
  haloBudget: 'halobudget',
  /** Halo requests and 429s per minute by flow (the console's chart). */
  haloUsage: 'halousage',
} as const;

export const BLOB_CONTAINERS = {
  reports: 'reports',
  payloads: 'payloads',
  /** The integration config (integration.json) and its earlier versions (history/). */
  config: 'config',
} as const;

/** Where the deployed app reads its integration config (INTEGRATION_CONFIG_BLOB). */
export const DEFAULT_CONFIG_BLOB = 'config/integration.json';

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export type TableName = (typeof TABLES)[keyof typeof TABLES];
