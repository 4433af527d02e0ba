// Where the console's CLI commands read from, in this order:
//   1. HALO_BRIDGE_STACK_FILE, or .dev/demo-stack.json of a running `npm start`: that stack's storage and config
//      (its Azurite), so the answers are the ones its console shows;
//   2. local.settings.json with HALO_BASE_URL: the storage it names (a connection string, or the storage account
//      with your Azure identity: Storage Table Data Reader and Storage Blob Data Reader are enough);
//   3. otherwise a fresh demo stack, run once through every demo flow for this command.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import { buildContainer } from '../../shared/app/buildContainer';
import type { Container } from '../../shared/app/container';
import { integrationConfigFor } from '../../shared/app/integrationConfigFor';
import { type AppSettings, loadAppSettings } from '../../shared/config/appSettings';
import { type IntegrationConfig, parseIntegrationConfig } from '../../shared/config/integration';
import { type ConsoleDeps, consoleDepsOf } from '../../shared/console/deps';
import type { LogSink } from '../../shared/runtime/logger';
import { runDemoOnce } from '../demo/runOnce';
import { localVaultCredential, type Stack, startStack } from '../stack';
import { logSink, ROOT, readLocalSettings } from './services';

export const DEMO_STACK_FILE = join(ROOT, '.dev', 'demo-stack.json');

export interface ConsoleTarget {
  readonly deps: ConsoleDeps;
  /** In words, for the first line of the output. */
  readonly where: string;
  stop(): Promise<void>;
}

/** What `npm start` writes so that the CLI reads the stack it runs (git-ignored, readable by its owner only). */
interface StackFile {
  readonly pid: number;
  readonly settings: Record<string, string>;
  readonly config: unknown;
}

/** Records where a running stack is; the returned function removes the record (call it when the stack stops). */
export function writeStackFile(stack: Stack, path = DEMO_STACK_FILE): () => void {
  const file: StackFile = { pid: process.pid, settings: { ...stack.settings }, config: stack.container.config };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

export async function consoleTarget(verbose: boolean): Promise<ConsoleTarget> {
  const sink = logSink(verbose);
  const stackFile = readStackFile(process.env.HALO_BRIDGE_STACK_FILE ?? DEMO_STACK_FILE);
  if (stackFile) {
    const settings = loadAppSettings(stackFile.settings);
    const given = parseIntegrationConfig(stackFile.config, 'the running stack');
    return {
      deps: consoleDepsOf(await containerFor(settings, { sink, credential: localVaultCredential, given })),
      where: `the stack of npm start (pid ${stackFile.pid})`,
      stop: async () => {},
    };
  }
  const local = readLocalSettings();
  if (local?.HALO_BASE_URL) {
    const settings = loadAppSettings(local);
    return {
      deps: consoleDepsOf(await containerFor(settings, { sink, credential: new DefaultAzureCredential() })),
      where: `Halo ${settings.HALO_BASE_URL}`,
      stop: async () => {},
    };
  }
  process.stderr.write('no npm start is running: starting a fresh demo stack and running every demo flow once ...\n');
  const stack = await startStack({ worker: true, sink });
  try {
    await runDemoOnce(stack);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    deps: consoleDepsOf(stack.container),
    where: 'a fresh demo stack, run once for this command (start `npm start` to read the one it runs)',
    stop: () => stack.stop(),
  };
}

/**
 * A container over the settings' storage with the config the app itself runs on: the config blob when the settings
 * name one (read now, so "the config in force" is the pushed one), else `given` or the file/inline setting.
 */
async function containerFor(
  settings: AppSettings,
  options: { sink: LogSink; credential: TokenCredential; given?: IntegrationConfig },
): Promise<Container> {
  let built: Container | undefined;
  const live =
    settings.INTEGRATION_CONFIG_BLOB || !options.given ? integrationConfigFor(settings, () => built!, ROOT) : undefined;
  built = buildContainer(settings, live ?? options.given!, {
    sink: options.sink,
    azureCredential: () => options.credential,
  });
  await live?.refreshIfDue();
  return built;
}

function readStackFile(path: string): StackFile | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as StackFile;
  try {
    process.kill(file.pid, 0);
    return file;
  } catch {
    return undefined; // the npm start that wrote it has gone
  }
}
