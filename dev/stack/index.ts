// The local stack: Azurite, the Halo, Graph and Key Vault simulators, the Functions app in the local runner and
// (optionally) a hybrid worker process, wired together with demo settings. `npm start`, the flow integration tests
// and the benchmarks all start it, so that they exercise the same composition as the real host.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { Container } from '../../shared/app/container';
import { exportPrivateKey, exportPublicKey, generateSigningKeyPair } from '../../shared/jobs';
import type { LogSink } from '../../shared/runtime/logger';
import { configDocumentStore, DEFAULT_CONFIG_BLOB, parseBlobLocation } from '../../shared/storage';
import { type LocalStorage, startLocalStorage } from '../azurite';
import { type GraphSeed, type GraphSimulator, startGraphSimulator } from '../graph-sim';
import { type HaloSeed, type HaloSimulator, SIM_EVENTS, startHaloSimulator } from '../halo-sim';
import { type KeyVaultSimulator, startKeyVaultSimulator } from '../keyvault-sim/server';
import type { LocalRunner } from '../runner';
import { type AppRunnerInput, buildAppContainer, startAppRunner } from './appRunner';
import { freePort } from './freePort';
import { type RunnerProcess, startRunnerProcess } from './runnerProcess';
import { startWorkerProcess, type WorkerProcess } from './workerProcess';

const ROOT = resolve(__dirname, '..', '..');

export { localVaultCredential } from './appRunner';

export const DEMO_GRAPH_APP = {
  clientId: 'b1d9e0a7-5a1e-4c0d-9e3b-0000000000b1',
  secret: 'demo-graph-secret-value-not-a-real-secret',
  homeTenantId: '99999999-9999-4999-8999-999999999999',
};
export const DEMO_WORKER_ID = 'demo-worker';

export interface StackOptions {
  /** Fixed ports for `npm start`; 0 or absent = any free port. */
  readonly ports?: { runner?: number; halo?: number; graph?: number; keyVault?: number };
  /** Start a hybrid worker child process with the example scripts (default false). */
  readonly worker?: boolean;
  /** The worker's parallel jobs (default 2). */
  readonly workerConcurrency?: number;
  /** The worker's script folder (default worker/examples/scripts). */
  readonly workerScriptFolder?: string;
  /** App settings to add or override (e.g. HALO_RATE_LIMIT_REQUESTS for a benchmark). */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Where the Functions app runs: in this process (default), or in a child process that a test can SIGKILL mid-flow
   * and start again on the same Azurite and simulators (`stack.runnerProcess`).
   */
  readonly runner?: 'inProcess' | 'process';
  /** How long a queue message an invocation holds stays invisible (default 600 s); short when a test kills the runner. */
  readonly messageLeaseSeconds?: number;
  /** Let timers fire on their schedules (default false: tests and `--once` fire them with runner.runTimer). */
  readonly timers?: boolean;
  readonly haloSeed?: HaloSeed;
  readonly haloRateLimit?: { requests: number; windowMs: number } | false;
  readonly graphSeed?: GraphSeed;
  /** Changes to the demo integration config (dev/demo-data/integration.json) before it is validated. */
  readonly config?: (demo: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Serve the config as the deployed app does: uploaded to Azurite's config/integration.json and re-read by ETag
   * (INTEGRATION_CONFIG_REFRESH_SECONDS) before invocations, so `npm run cli -- config push` changes it live.
   */
  readonly configFromBlob?: boolean;
  /** Overrides of host.json's extensions.queues (tests use a short visibilityTimeout). */
  readonly queues?: Record<string, unknown>;
  readonly sink?: LogSink;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Lines printed by the worker process. */
  readonly onWorkerLine?: (line: string) => void;
}

export interface Stack {
  readonly storage: LocalStorage;
  readonly halo: HaloSimulator;
  readonly graph: GraphSimulator;
  readonly keyVault: KeyVaultSimulator;
  readonly container: Container;
  readonly runner: LocalRunner;
  /** With `runner: 'process'`: the same runner, which a test can crash() and restart(). */
  readonly runnerProcess: RunnerProcess | undefined;
  readonly worker: WorkerProcess | undefined;
  /** The app settings the Functions app runs with (as local.settings.json would hold them). */
  readonly settings: Readonly<Record<string, string>>;
  readonly keys: { readonly functionKey: string; readonly masterKey: string };
  readonly webhook: { readonly url: string; readonly username: string; readonly password: string };
  readonly jobPublicKey: string;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const storage = await startLocalStorage();
    stops.push(() => storage.stop());
    const halo = await startHaloSimulator({
      port: options.ports?.halo ?? 0,
      ...(options.haloSeed ? { seed: options.haloSeed } : {}),
      ...(options.haloRateLimit !== undefined ? { rateLimit: options.haloRateLimit } : {}),
    });
    stops.push(() => halo.stop());
    const graph = await startGraphSimulator({
      port: options.ports?.graph ?? 0,
      ...(options.graphSeed ? { seed: options.graphSeed } : {}),
    });
    stops.push(() => graph.stop());

    const jobKeys = generateSigningKeyPair();
    const workerKeys = generateSigningKeyPair();
    const keyVault = await startKeyVaultSimulator({
      port: options.ports?.keyVault ?? 0,
      secrets: { 'job-signing-key': exportPrivateKey(jobKeys.privateKey) },
    });
    stops.push(() => keyVault.stop());

    const runnerPort = options.ports?.runner || (await freePort());
    const runnerUrl = `http://127.0.0.1:${runnerPort}`;
    const keys = {
      functionKey: randomBytes(24).toString('base64url'),
      masterKey: randomBytes(24).toString('base64url'),
    };
    const webhook = {
      url: `${runnerUrl}/api/halo/webhook?code=${keys.functionKey}`,
      username: 'halo-webhook',
      password: randomBytes(18).toString('base64url'),
    };
    const settings: Record<string, string> = {
      AzureWebJobsStorage: storage.connectionString,
      HALO_BASE_URL: halo.url,
      HALO_CLIENT_ID: halo.clientId,
      HALO_CLIENT_SECRET: halo.clientSecret,
      GRAPH_CLIENT_ID: DEMO_GRAPH_APP.clientId,
      GRAPH_CLIENT_SECRET: DEMO_GRAPH_APP.secret,
      GRAPH_HOME_TENANT_ID: DEMO_GRAPH_APP.homeTenantId,
      GRAPH_BASE_URL: graph.url,
      GRAPH_AUTHORITY_HOST: graph.authorityHost,
      KEY_VAULT_URL: keyVault.url,
      HALO_WEBHOOK_USERNAME: webhook.username,
      HALO_WEBHOOK_PASSWORD: webhook.password,
      PUBLIC_BASE_URL: runnerUrl,
      // The runner plays App Service Authentication (dev/runner/easyAuth.ts), as Azure does in front of the app.
      WEBSITE_AUTH_ENABLED: 'True',
      ...options.settings,
    };
    const jobPublicKey = exportPublicKey(jobKeys.publicKey);
    const demoConfig = JSON.parse(readFileSync(join(ROOT, 'dev', 'demo-data', 'integration.json'), 'utf8'));
    const withWorkers = {
      ...demoConfig,
      workers: [{ id: DEMO_WORKER_ID, group: 'default', publicKey: exportPublicKey(workerKeys.publicKey) }],
    };
    const demoDocument = options.config ? options.config(withWorkers) : withWorkers;
    if (options.configFromBlob) {
      // The app reads its config from the blob (and revalidates it before invocations), as it does in Azure.
      settings.INTEGRATION_CONFIG_BLOB = DEFAULT_CONFIG_BLOB;
      const location = parseBlobLocation(DEFAULT_CONFIG_BLOB)!;
      await configDocumentStore(
        BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient(location.container),
        location.blob,
      ).write(JSON.stringify(demoDocument, null, 2), undefined);
    }
    const appInput: AppRunnerInput = {
      settings,
      config: demoDocument,
      configFromBlob: options.configFromBlob ?? false,
      ...(options.queues ? { queues: options.queues } : {}),
      port: runnerPort,
      keys,
      timers: options.timers ?? false,
      ...(options.messageLeaseSeconds ? { messageLeaseSeconds: options.messageLeaseSeconds } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    };
    const sink = options.sink ?? (() => {});
    let container: Container;
    let runner: LocalRunner;
    let runnerProcess: RunnerProcess | undefined;
    if (options.runner === 'process') {
      runnerProcess = await startRunnerProcess(appInput, sink);
      const started = runnerProcess;
      stops.push(() => started.stop());
      // This process reads and writes the same storage through a container of its own; only the child runs functions.
      const own = buildAppContainer(appInput, sink);
      await own.liveConfig?.refreshIfDue();
      container = own.container;
      runner = runnerProcess;
    } else {
      const app = await startAppRunner(appInput, sink);
      stops.push(() => app.runner.stop());
      container = app.container;
      runner = app.runner;
    }

    halo.configureWebhook({
      url: webhook.url,
      name: 'halo-bridge',
      username: webhook.username,
      password: webhook.password,
      payloadType: 'full',
      events: [SIM_EVENTS.actionAdded, SIM_EVENTS.approvalApproved],
    });

    let worker: WorkerProcess | undefined;
    if (options.worker) {
      const directory = mkdtempSync(join(tmpdir(), 'halo-bridge-worker-'));
      worker = startWorkerProcess({
        directory,
        workerId: DEMO_WORKER_ID,
        workerGroup: 'default',
        storageConnectionString: storage.connectionString,
        cloudPublicKey: jobPublicKey,
        keys: workerKeys,
        concurrency: options.workerConcurrency,
        scriptFolder: options.workerScriptFolder,
        onLine: options.onWorkerLine,
      });
      const started = worker;
      stops.push(async () => {
        await started.stop();
        rmSync(directory, { recursive: true, force: true });
      });
    }

    return {
      storage,
      halo,
      graph,
      keyVault,
      container,
      runner,
      runnerProcess,
      worker,
      settings,
      keys,
      webhook,
      jobPublicKey,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
