// What a cli command runs against: the real services named in local.settings.json, or the demo stack.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { buildContainer } from '../../shared/app/buildContainer';
import type { Container } from '../../shared/app/container';
import { loadAppSettings } from '../../shared/config/appSettings';
import { readIntegrationConfig } from '../../shared/config/integration';
import type { LogEntry } from '../../shared/runtime/logger';
import { ensureStorage } from '../../shared/storage';
import { SYNCS } from '../../shared/sync';
import { startLocalStorage } from '../azurite';
import { type LocalRunner, loadFunctionFiles, parseHostJson, startLocalRunner } from '../runner';
import { startStack } from '../stack';

export const ROOT = resolve(__dirname, '..', '..');

export interface Services {
  container: Container;
  runner: LocalRunner;
  where: string;
  stop(): Promise<void>;
}

export function logSink(verbose: boolean) {
  return (entry: LogEntry) => {
    if (verbose || entry.level === 'warn' || entry.level === 'error') {
      process.stderr.write(`${entry.level} ${entry.message} ${JSON.stringify(entry.fields)}\n`);
    }
  };
}

/** Real services when local.settings.json names a Halo, else the demo stack (simulators, in-memory storage). */
export async function connect(verbose: boolean): Promise<Services> {
  const sink = logSink(verbose);
  const values = readLocalSettings();
  if (!values?.HALO_BASE_URL) {
    const stack = await startStack({ sink });
    return {
      container: stack.container,
      runner: stack.runner,
      where: 'demo stack (simulators, a fresh copy of the demo data; not the one `npm start` runs)',
      stop: () => stack.stop(),
    };
  }
  const noStorage = async () => {};
  let stopStorage = noStorage;
  if (!values.AzureWebJobsStorage || values.AzureWebJobsStorage === 'UseDevelopmentStorage=true') {
    const storage = await startLocalStorage();
    values.AzureWebJobsStorage = storage.connectionString;
    stopStorage = () => storage.stop();
  }
  const settings = loadAppSettings(values);
  const config = readIntegrationConfig({
    inline: settings.INTEGRATION_CONFIG,
    path: settings.INTEGRATION_CONFIG_PATH ? resolve(ROOT, settings.INTEGRATION_CONFIG_PATH) : undefined,
  });
  const credential = new DefaultAzureCredential();
  const container = buildContainer(settings, config, { sink, azureCredential: () => credential });
  await ensureStorage(container.storage, ['default']);
  const runner = await startLocalRunner({
    functions: (await loadFunctionFiles(join(ROOT, 'functions'))).filter((fn) =>
      SYNCS.some((s) => fn.name === s.functionName || fn.name === `${s.functionName}Poison`),
    ),
    container,
    storageConnectionString: values.AzureWebJobsStorage,
    hostJson: parseHostJson(JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8'))),
    port: 0,
    keys: { functionKey: 'cli-function-key', masterKey: 'cli-master-key' },
    settings: values,
    log: container.log.child({ component: 'runner' }),
    timers: { setTimeout: () => undefined, clearTimeout: () => {} },
  });
  return {
    container,
    runner,
    where: `Halo ${settings.HALO_BASE_URL}`,
    stop: async () => {
      await runner.stop();
      await stopStorage();
    },
  };
}

/** local.settings.json's Values, or undefined when there is no such file (then the cli uses the demo stack). */
export function readLocalSettings(): Record<string, string> | undefined {
  const path = join(ROOT, 'local.settings.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, string> }).Values;
}
