// `npm start` against real services: the settings come from local.settings.json (Values), exactly as the Functions
// host would read them. Storage "UseDevelopmentStorage=true" gets an in-memory Azurite on the standard ports.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { buildContainer } from '../shared/app/buildContainer';
import type { Container } from '../shared/app/container';
import { loadAppSettings } from '../shared/config/appSettings';
import { type IntegrationConfig, readIntegrationConfig } from '../shared/config/integration';
import { ConfigError } from '../shared/config/zodIssues';
import type { LogSink } from '../shared/runtime/logger';
import { startLocalStorage } from './azurite';
import { queueFailureLines } from './demo/queueFailures';
import { loadFunctionFiles, localEasyAuth, parseHostJson, realTimers, startLocalRunner } from './runner';
import { ensureAppStorage } from './stack/appRunner';

const ROOT = resolve(__dirname, '..');

export async function startRealServices(options: {
  settings: Record<string, string>;
  once: boolean;
  sink: LogSink;
}): Promise<number> {
  const values = { ...options.settings };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const localStorage = !values.AzureWebJobsStorage || values.AzureWebJobsStorage === 'UseDevelopmentStorage=true';
  // Every setting problem is reported before anything starts (the storage placeholder stands in for Azurite's).
  const checked = loadAppSettings(
    localStorage ? { ...values, AzureWebJobsStorage: 'UseDevelopmentStorage=true' } : values,
  );
  const config = readIntegrationConfig({
    inline: checked.INTEGRATION_CONFIG,
    path: checked.INTEGRATION_CONFIG_PATH ? resolve(ROOT, checked.INTEGRATION_CONFIG_PATH) : undefined,
  });
  let stopStorage: (() => Promise<void>) | undefined;
  let storageConnectionString = values.AzureWebJobsStorage ?? '';
  if (localStorage) {
    const storage = await startLocalStorage({ ports: { blob: 10000, queue: 10001, table: 10002 } });
    storageConnectionString = storage.connectionString;
    values.AzureWebJobsStorage = storageConnectionString;
    stopStorage = () => storage.stop();
    say('halo-bridge: storage is an in-memory Azurite on ports 10000-10002');
  }
  // The runner plays App Service Authentication and signs the local operator in (loopback only).
  values.WEBSITE_AUTH_ENABLED = 'True';
  const settings = loadAppSettings(values);
  const credential = new DefaultAzureCredential();
  const hostJson = parseHostJson(JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8')));
  const container = buildContainer(settings, config, {
    sink: options.sink,
    azureCredential: () => credential,
    maxDequeueCount: hostJson.extensions.queues.maxDequeueCount,
  });
  try {
    await requireJobSigningKey(container, config);
  } catch (error) {
    await stopStorage?.();
    throw error;
  }
  await ensureAppStorage(container, config);
  const runner = await startLocalRunner({
    functions: await loadFunctionFiles(join(ROOT, 'functions')),
    container,
    storageConnectionString,
    hostJson,
    port: 7071,
    keys: {
      functionKey: values.FUNCTION_KEY ?? 'local-function-key',
      masterKey: values.MASTER_KEY ?? 'local-master-key',
    },
    settings: values,
    log: container.log.child({ component: 'runner' }),
    timers: options.once ? { setTimeout: () => undefined, clearTimeout: () => {} } : realTimers,
    easyAuth: localEasyAuth(),
  });
  say(`halo-bridge: Functions app on ${runner.url}/api against ${settings.HALO_BASE_URL}`);
  say(`halo-bridge: console on ${runner.url}/api/console (signed in as the local operator)`);
  let stopping = false;
  const stop = async (code: number) => {
    // Ctrl-C reaches this process twice (from the terminal and from scripts/launch.mjs): stop once.
    if (stopping) return;
    stopping = true;
    await runner.stop();
    await stopStorage?.();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  if (!options.once) return new Promise<number>(() => {});
  const startedAt = new Date();
  let failed = 0;
  for (const name of Object.keys(runner.timerSchedules())) {
    const record = await runner.runTimer(name);
    if (record.outcome !== 'success') failed++;
  }
  await runner.drain({ timeoutMs: 300_000 });
  for (const [name, stats] of Object.entries(runner.stats())) {
    if (stats.invocations > 0)
      say(`${name}: ${stats.successes} ok, ${stats.failures} failed, ${stats.poisoned} poisoned`);
    failed += stats.failures + stats.poisoned;
  }
  const queueFailures = await queueFailureLines(container, startedAt);
  for (const line of queueFailures) say(line);
  failed += queueFailures.length;
  await stop(failed === 0 ? 0 : 1);
  return failed === 0 ? 0 : 1;
}

/**
 * Script automation signs every job with the key in the secret JOB_SIGNING_KEY_SECRET_NAME. Without it the app would
 * start and then fail every poll and webhook, so it refuses to start instead, naming the setting and where it looked.
 */
export async function requireJobSigningKey(
  container: Pick<Container, 'jobSigningKey' | 'settings'>,
  config: IntegrationConfig,
): Promise<void> {
  const automation = config.haloScriptQueue.enabled || config.scripts.length > 0 || config.schedules.length > 0;
  if (!automation) return;
  try {
    await container.jobSigningKey();
  } catch (error) {
    const name = container.settings.JOB_SIGNING_KEY_SECRET_NAME;
    throw new ConfigError('App settings', [
      `JOB_SIGNING_KEY_SECRET_NAME: the job-signing key '${name}' is unusable (${(error as Error).message}); script ` +
        `automation needs it: set KEY_VAULT_URL to the vault that holds it (azd's post-provision hook creates it), ` +
        `or LOCAL_SECRETS_FILE to a JSON file {"${name}": "<Ed25519 private key PEM>"}`,
    ]);
  }
}
