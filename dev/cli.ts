// `npm run cli -- <command>`: operator commands against the configured services, or the local demo stack when no
// real Halo is configured (local.settings.json without HALO_BASE_URL). Commands:
//   sync [--kind <kind>] [--tenant <id>] [--mode <mode>]   start a sync run (default: contacts, i.e. tenant sync),
//                                                          process it here, print the outcome
//   status <runId> [--kind <kind>]                         a run and its tenants (persistent storage only)
//   runs [--kind <kind>]                                   the sync's schedule, lease and newest runs
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultAzureCredential } from '@azure/identity';
import { buildContainer } from '../shared/app/buildContainer';
import type { Container } from '../shared/app/container';
import { loadAppSettings } from '../shared/config/appSettings';
import { readIntegrationConfig } from '../shared/config/integration';
import type { LogEntry } from '../shared/runtime/logger';
import { ensureStorage } from '../shared/storage';
import {
  describeRun,
  getRunStatus,
  getSyncOverview,
  parseJsonBody,
  SYNCS,
  type SyncDefinition,
  startRequestSchema,
  startRun,
  syncOf,
} from '../shared/sync';
import { startLocalStorage } from './azurite';
import { type LocalRunner, loadFunctionFiles, parseHostJson, startLocalRunner } from './runner';
import { startStack } from './stack';

const ROOT = resolve(__dirname, '..');
const USAGE =
  `usage: npm run cli -- sync [--kind ${SYNCS.map((s) => s.kind).join('|')}] [--tenant <id>] [--mode <mode>] [--verbose]` +
  ' | status <runId> [--kind <kind>] | runs [--kind <kind>]';

interface Services {
  container: Container;
  runner: LocalRunner;
  where: string;
  /** Set when storage is an in-memory Azurite started for this command (so it holds no earlier runs): why. */
  ephemeral?: string;
  stop(): Promise<void>;
}

const DEMO_STORAGE_NOTE =
  "the demo stack's storage is in memory and new for each command, so runs of `npm start` or of earlier cli " +
  'commands are not in it';
const LOCAL_STORAGE_NOTE =
  'storage is an in-memory Azurite started for this command; set AzureWebJobsStorage in local.settings.json to a ' +
  'storage account to keep runs between commands';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (error) {
    console.error(`${(error as Error).message.split('. ')[0]}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    say(USAGE);
    return 0;
  }
  if (!command || !['sync', 'status', 'runs'].includes(command) || (command === 'status' && !rest[0])) {
    console.error(USAGE);
    return 2;
  }
  const sync = syncOf(values.kind ?? 'contacts');
  if (!sync) {
    console.error(`invalid options: --kind must be one of ${SYNCS.map((s) => s.kind).join(', ')}\n${USAGE}`);
    return 2;
  }
  const request = parseJsonBody(
    JSON.stringify({
      ...(values.tenant ? { tenantId: values.tenant } : {}),
      ...(values.mode ? { mode: values.mode } : {}),
    }),
    startRequestSchema(sync),
  );
  if (!request.ok) {
    console.error(
      `invalid options: ${request.problems
        .join('; ')
        .replace(/\$\.tenantId/g, '--tenant')
        .replace(/\$\.mode/g, '--mode')}`,
    );
    return 2;
  }
  const services = await connect(values.verbose ?? false);
  say(`halo-bridge cli: ${services.where}`);
  try {
    if (command === 'runs') {
      const overview = await getSyncOverview(services.container, sync, 20);
      for (const line of describeOverview(overview)) say(line);
      const { runs } = overview;
      if (runs.length === 0) say(`no ${sync.title} runs${services.ephemeral ? `: ${services.ephemeral}` : ''}`);
      for (const run of runs) {
        say(`${run.runId}  ${run.status.padEnd(9)} ${run.startedAt}  tenants ${run.counts.tenants ?? '?'}`);
      }
      return 0;
    }
    if (command === 'status') {
      const status = await getRunStatus(services.container, sync, rest[0] ?? '');
      if (!status) {
        console.error(`no ${sync.title} run ${rest[0]}${services.ephemeral ? `: ${services.ephemeral}` : ''}`);
        return 1;
      }
      for (const line of describeRun(sync, status).lines) say(line);
      return 0;
    }
    const started = await startRun(services.container, sync, { ...request.value, trigger: 'cli' });
    if (!started.ok) {
      // A refusal because an apply run holds the lease says what HTTP says with its 409: which run, until when.
      console.error(`${sync.title} did not start: ${started.message}`);
      return 1;
    }
    say(`run ${started.runId} started (${started.mode} mode, ${started.tenants} tenants); processing ...`);
    const status = await waitForRun(services, sync, started.runId);
    const { lines, failures } = describeRun(sync, status);
    for (const line of lines) say(line);
    for (const failure of failures) say(`FAILED: ${failure}`);
    return status.run.status === 'succeeded' ? 0 : 1;
  } finally {
    await services.stop();
  }
}

async function waitForRun(services: Services, sync: SyncDefinition, runId: string) {
  for (;;) {
    await services.runner.drain({ idleMs: 200, timeoutMs: 600_000 });
    const status = await getRunStatus(services.container, sync, runId);
    if (!status) throw new Error(`run ${runId} disappeared`);
    if (status.run.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Real services when local.settings.json names a Halo, else the demo stack (simulators, in-memory storage). */
async function connect(verbose: boolean): Promise<Services> {
  const sink = (entry: LogEntry) => {
    if (verbose || entry.level === 'warn' || entry.level === 'error') {
      process.stderr.write(`${entry.level} ${entry.message} ${JSON.stringify(entry.fields)}\n`);
    }
  };
  const values = readLocalSettings();
  if (!values?.HALO_BASE_URL) {
    const stack = await startStack({ sink });
    return {
      container: stack.container,
      runner: stack.runner,
      where: 'demo stack (simulators, a fresh copy of the demo data; not the one `npm start` runs)',
      ephemeral: DEMO_STORAGE_NOTE,
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
    ...(stopStorage !== noStorage ? { ephemeral: LOCAL_STORAGE_NOTE } : {}),
    stop: async () => {
      await runner.stop();
      await stopStorage();
    },
  };
}

function describeOverview(overview: Awaited<ReturnType<typeof getSyncOverview>>): string[] {
  const { schedule, lease } = overview;
  const lines = [
    `${overview.title} (${overview.kind}): ${overview.enabled ? 'enabled' : 'disabled'}, mode ${overview.mode}, schedule ${schedule.cron}` +
      (schedule.pending
        ? `, due since ${schedule.pending} (starts at the next check)`
        : schedule.next
          ? `, next ${schedule.next}`
          : ''),
  ];
  if (lease?.active) lines.push(`apply run ${lease.runId} holds the lease until ${lease.expiresAt}`);
  else if (lease && !lease.releasedAt)
    lines.push(`apply run ${lease.runId} stalled: its lease expired at ${lease.expiresAt}`);
  return lines;
}

function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      tenant: { type: 'string' },
      mode: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function readLocalSettings(): Record<string, string> | undefined {
  const path = join(ROOT, 'local.settings.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, string> }).Values;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`halo-bridge cli: ${(error as Error).message}`);
    process.exit(1);
  },
);
