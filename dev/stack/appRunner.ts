import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { buildContainer } from '../../shared/app/buildContainer';
import type { Container } from '../../shared/app/container';
import { integrationConfigFor } from '../../shared/app/integrationConfigFor';
import { loadAppSettings } from '../../shared/config/appSettings';
import { type IntegrationConfig, parseIntegrationConfig } from '../../shared/config/integration';
import type { LiveConfig } from '../../shared/config/liveConfig';
import type { LogSink } from '../../shared/runtime/logger';
import { ensureStorage } from '../../shared/storage';
import {
  type HostJson,
  type HostKeys,
  type LocalRunner,
  loadFunctionFiles,
  localEasyAuth,
  parseHostJson,
  realTimers,
  startLocalRunner,
  type TimerApi,
} from '../runner';

const ROOT = resolve(__dirname, '..', '..');

/** Everything the Functions app needs to run: plain data, so that it can cross into a child process. */
export interface AppRunnerInput {
  /** App settings, as local.settings.json would hold them. */
  readonly settings: Readonly<Record<string, string>>;
  /** The integration config as JSON (validated here). */
  readonly config: unknown;
  /** Read the config from the blob INTEGRATION_CONFIG_BLOB names (revalidated before invocations), as in Azure. */
  readonly configFromBlob?: boolean;
  /** Overrides of host.json's extensions.queues. */
  readonly queues?: Record<string, unknown>;
  readonly port: number;
  readonly keys: HostKeys;
  /** Let timers fire on their schedules (false: only runner.runTimer fires them). */
  readonly timers: boolean;
  /** The runner's queue message lease (default the host's 10 minutes). */
  readonly messageLeaseSeconds?: number;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface AppRunner {
  readonly container: Container;
  readonly runner: LocalRunner;
  readonly config: IntegrationConfig;
}

/** A TokenCredential for the Key Vault fake, which accepts any bearer token (the CLI reading a stack uses it too). */
export const localVaultCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: 'local-dev-token',
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

const idleTimers: TimerApi = { setTimeout: () => undefined, clearTimeout: () => {} };

/** The app's container over the given settings (no runner): what the stack's own process reads the stores with. */
export function buildAppContainer(
  input: AppRunnerInput,
  sink: LogSink,
): { container: Container; config: IntegrationConfig; liveConfig: LiveConfig | undefined } {
  const config = parseIntegrationConfig(input.config, 'demo config');
  const host = readAppHostJson(input);
  const appSettings = loadAppSettings({ ...input.settings });
  let built: Container | undefined;
  const liveConfig = input.configFromBlob ? integrationConfigFor(appSettings, () => built!) : undefined;
  const container = buildContainer(appSettings, liveConfig ?? config, {
    maxDequeueCount: host.extensions.queues.maxDequeueCount,
    sink,
    logLevel: input.logLevel,
    azureCredential: () => localVaultCredential,
    keyVaultClientOptions: { disableChallengeResourceVerification: true },
  });
  built = container;
  return { container, config, liveConfig };
}

/**
 * Builds the app's container and starts every function in the local runner, after creating the queues and tables
 * (the worker groups' queues too). The stack runs this in its own process, or in a child process
 * (dev/stack/runnerChild.ts) that a test can kill.
 */
export async function startAppRunner(input: AppRunnerInput, sink: LogSink): Promise<AppRunner> {
  const { container, config, liveConfig } = buildAppContainer(input, sink);
  await liveConfig?.refreshIfDue();
  const hostJson = readAppHostJson(input);
  await ensureAppStorage(container, config);
  const runner = await startLocalRunner({
    functions: await loadFunctionFiles(join(ROOT, 'functions')),
    container,
    ...(liveConfig ? { beforeInvocation: () => liveConfig.refreshIfDue() } : {}),
    storageConnectionString: input.settings.AzureWebJobsStorage!,
    hostJson,
    port: input.port,
    keys: input.keys,
    settings: input.settings,
    log: container.log.child({ component: 'runner' }),
    timers: input.timers ? realTimers : idleTimers,
    easyAuth: localEasyAuth(),
    ...(input.messageLeaseSeconds ? { messageLeaseSeconds: input.messageLeaseSeconds } : {}),
  });
  return { container, runner, config };
}

/** Creates the app's queues and tables, the job queues of every worker group the config names too. */
export async function ensureAppStorage(container: Container, config: IntegrationConfig): Promise<void> {
  const groups = [
    ...new Set(['default', ...config.scripts.map((s) => s.workerGroup), config.haloScriptQueue.workerGroup]),
  ];
  await ensureStorage(container.storage, groups);
}

function readAppHostJson(input: AppRunnerInput): HostJson {
  const hostJson = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8'));
  hostJson.extensions.queues = { ...hostJson.extensions.queues, ...(input.queues ?? {}) };
  return parseHostJson(hostJson);
}
