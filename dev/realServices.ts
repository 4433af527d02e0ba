// `npm start` against real services: the settings come from local.settings.json (Values), exactly as the Functions
// host would read them. Storage "UseDevelopmentStorage=true" gets an in-memory Azurite on the standard ports.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { buildContainer } from '../shared/app/buildContainer';
import { loadAppSettings } from '../shared/config/appSettings';
import { readIntegrationConfig } from '../shared/config/integration';
import type { LogSink } from '../shared/runtime/logger';
import { ensureStorage } from '../shared/storage';
import { startLocalStorage } from './azurite';
import { loadFunctionFiles, parseHostJson, realTimers, startLocalRunner } from './runner';

const ROOT = resolve(__dirname, '..');

export async function startRealServices(options: {
  settings: Record<string, string>;
  once: boolean;
  sink: LogSink;
}): Promise<number> {
  const values = { ...options.settings };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let stopStorage: (() => Promise<void>) | undefined;
  if (!values.AzureWebJobsStorage || values.AzureWebJobsStorage === 'UseDevelopmentStorage=true') {
    const storage = await startLocalStorage({ ports: { blob: 10000, queue: 10001, table: 10002 } });
    values.AzureWebJobsStorage = storage.connectionString;
    stopStorage = () => storage.stop();
    say('halo-bridge: storage is an in-memory Azurite on ports 10000-10002');
  }
  const settings = loadAppSettings(values);
  const config = readIntegrationConfig({
    inline: settings.INTEGRATION_CONFIG,
    path: settings.INTEGRATION_CONFIG_PATH ? resolve(ROOT, settings.INTEGRATION_CONFIG_PATH) : undefined,
  });
  const credential = new DefaultAzureCredential();
  const container = buildContainer(settings, config, { sink: options.sink, azureCredential: () => credential });
  const groups = [...new Set(['default', ...config.scripts.map((s) => s.workerGroup)])];
  await ensureStorage(container.storage, groups);
  const runner = await startLocalRunner({
    functions: await loadFunctionFiles(join(ROOT, 'functions')),
    container,
    storageConnectionString: values.AzureWebJobsStorage,
    hostJson: parseHostJson(JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8'))),
    port: 7071,
    keys: {
      functionKey: values.FUNCTION_KEY ?? 'local-function-key',
      masterKey: values.MASTER_KEY ?? 'local-master-key',
    },
    settings: values,
    log: container.log.child({ component: 'runner' }),
    timers: options.once ? { setTimeout: () => undefined, clearTimeout: () => {} } : realTimers,
  });
  say(`halo-bridge: Functions app on ${runner.url}/api against ${settings.HALO_BASE_URL}`);
  const stop = async (code: number) => {
    await runner.stop();
    await stopStorage?.();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  if (!options.once) return new Promise<number>(() => {});
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
  await stop(failed === 0 ? 0 : 1);
  return failed === 0 ? 0 : 1;
}
