// The hybrid worker's command line: `npm run worker -- <command>` (or `node --import tsx worker/cli.ts <command>`).
// The only place in worker/ that reads the environment, the config file and the key file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../shared/config/zodIssues';
import { exportPrivateKey, exportPublicKey, generateSigningKeyPair, importPrivateKey, keyIdOf } from '../shared/jobs';
import { createLogger } from '../shared/runtime/logger';
import { checkWorker } from './check';
import type { WorkerConfig } from './config';
import { readWorkerConfigFile } from './configFile';
import { JobStateStore } from './jobState';
import { killLeftoverScripts } from './leftoverScripts';
import { startPoller } from './poller';
import { startScriptGuard } from './scriptGuard';
import { type InstallStep, linuxInstallPlan, type ServiceInstallOptions, windowsInstallScript } from './serviceInstall';
import { createWorkerQueues } from './workerQueues';

const USAGE = `usage: worker <command>
  run --config <file>                 poll for jobs and run them until stopped (SIGINT/SIGTERM, or the
                                      parent's exit when started with an IPC channel)
  check --config <file>               validate config, queue access, scripts (SHA-256) and interpreters
  install-service --config <file> [--platform linux|windows] [--dry-run] [--service-host-dir <dir>]
  keygen --out <private-key-file> [--force]   make this worker's Ed25519 key pair`;

const APP_ROOT = resolve(__dirname, '..');
const BOOTSTRAP_PATH = join(__dirname, 'powershell', 'bootstrap.ps1');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      platform: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'service-host-dir': { type: 'string' },
    },
  });
  switch (command) {
    case 'run':
      return run(loadConfig(values.config));
    case 'check':
      return check(loadConfig(values.config));
    case 'install-service':
      return installService(
        loadConfig(values.config),
        values.config!,
        values.platform,
        values['dry-run'] ?? false,
        values['service-host-dir'],
      );
    case 'keygen':
      return keygen(values.out, values.force ?? false);
    default:
      console.error(USAGE);
      return 2;
  }
}

function loadConfig(path: string | undefined): WorkerConfig {
  if (!path) throw new ConfigError('command line', ['--config <file> is required']);
  return readWorkerConfigFile(path);
}

function secretsOf(config: WorkerConfig): string[] {
  if ('connectionString' in config.queue) {
    return [
      config.queue.connectionString,
      ...(config.queue.connectionString.match(/AccountKey=([^;]+)/)?.slice(1) ?? []),
    ];
  }
  // An Entra identity has no secret in the config: its token never reaches the logs.
  return 'sasToken' in config.queue ? [config.queue.sasToken] : [];
}

async function run(config: WorkerConfig): Promise<number> {
  const secrets = secretsOf(config);
  const logger = createLogger({
    sink: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`),
    secrets: () => secrets,
    fields: { workerId: config.workerId },
  });
  const privateKey = importPrivateKey(readFileSync(config.privateKeyFile, 'utf8'));
  // Listen for a stop before any job can start: a signal that came before would otherwise kill the worker mid-job.
  const stopRequested = new Promise<string>((resolveStop) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolveStop(signal));
    // Started with an IPC channel (the dev stack does this): the channel closes when the parent process dies, however
    // it dies, and the worker must not outlive it. A service (systemd, WinSW) starts it without one: never fires.
    if (process.send) {
      if (!process.connected) resolveStop('the parent process is gone');
      else process.once('disconnect', () => resolveStop('the parent process is gone'));
    }
  });
  const state = new JobStateStore(config.stateDirectory);
  // Scripts a crashed predecessor left running are stopped before anything can run again (their jobs are then
  // reported interrupted when their messages reappear; those that finished have their recorded result resent).
  for (const leftover of killLeftoverScripts(state.unfinished(), { platform: process.platform })) {
    const level = leftover.outcome === 'killed' ? 'warn' : 'info';
    logger[level]('a job of a previous run did not finish; its script group is stopped', { ...leftover });
  }
  state.prune(new Date(), config.clockSkewSeconds * 1000 + 3_600_000);
  const guard = startScriptGuard(logger);
  const poller = startPoller({
    queues: createWorkerQueues(config.queue, config.workerGroup),
    logger,
    concurrency: config.concurrency,
    leaseSeconds: config.leaseSeconds,
    busyMs: config.poll.busyMs,
    idleMaxMs: config.poll.idleMaxMs,
    runner: {
      settings: config,
      privateKey,
      state,
      logger,
      platform: process.platform,
      baseEnv: process.env,
      bootstrapPath: BOOTSTRAP_PATH,
      now: () => new Date(),
      extraSecrets: secrets,
      guard,
    },
  });
  logger.info('worker started', { group: config.workerGroup, keyId: keyIdOf(privateKey), guardPid: guard.pid });
  if (process.send) {
    // The parent reads our output: once it is gone, writes fail with EPIPE. Not a reason to crash mid-stop; the
    // 'disconnect' below stops the worker.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
    }
  }
  const reason = await stopRequested;
  logger.info('stopping: waiting for running jobs', { reason });
  await poller.stop();
  guard.close();
  return 0;
}

async function check(config: WorkerConfig): Promise<number> {
  let privateKey: { text: string } | { readError: string };
  try {
    privateKey = { text: readFileSync(config.privateKeyFile, 'utf8') };
  } catch (error) {
    privateKey = { readError: (error as Error).message };
  }
  const lines = await checkWorker({
    config,
    privateKey,
    queues: createWorkerQueues(config.queue, config.workerGroup),
    env: process.env,
    platform: process.platform,
  });
  for (const line of lines) console.log(`${line.ok ? 'ok  ' : 'FAIL'} ${line.text}`);
  return lines.every((line) => line.ok) ? 0 : 1;
}

function installService(
  config: WorkerConfig,
  configPath: string,
  platformOption: string | undefined,
  dryRun: boolean,
  serviceHostDir: string | undefined,
): number {
  const platform = platformOption ?? (process.platform === 'win32' ? 'windows' : 'linux');
  const options: ServiceInstallOptions = {
    appRoot: APP_ROOT,
    nodePath: process.execPath,
    configPath: resolve(configPath),
    scriptFolder: config.scriptFolder,
    stateDirectory: config.stateDirectory,
    privateKeyFile: config.privateKeyFile,
  };
  if (platform === 'windows') {
    const script = windowsInstallScript(options, serviceHostDir ?? join(APP_ROOT, 'worker', 'service-host'));
    if (dryRun) {
      console.log(script);
      return 0;
    }
    const scriptPath = join(config.stateDirectory, 'install-service.ps1');
    mkdirSync(dirname(scriptPath), { recursive: true });
    writeFileSync(scriptPath, script, { mode: 0o600 });
    const ran = spawnSync('powershell.exe', ['-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', scriptPath], {
      stdio: 'inherit',
      shell: false,
    });
    return ran.status ?? 1;
  }
  if (platform !== 'linux') {
    console.error(`--platform must be linux or windows, not ${platform}`);
    return 2;
  }
  const steps = linuxInstallPlan(options);
  if (dryRun) {
    for (const step of steps) console.log(describe(step));
    return 0;
  }
  for (const step of steps) {
    console.log(describe(step).split('\n')[0]);
    if (step.kind === 'file') {
      writeFileSync(step.path, step.content, { mode: step.mode });
      continue;
    }
    const ran = spawnSync(step.command, [...step.args], { stdio: 'inherit', shell: false });
    if (ran.status !== 0 && step.command !== 'useradd') {
      console.error(`failed: ${step.command} ${step.args.join(' ')}`);
      return 1;
    }
  }
  return 0;
}

function describe(step: InstallStep): string {
  if (step.kind === 'file') return `write ${step.path} (mode ${step.mode.toString(8)}):\n${step.content}`;
  return `run ${[step.command, ...step.args].join(' ')}    # ${step.why}`;
}

function keygen(out: string | undefined, force: boolean): number {
  if (!out) {
    console.error('keygen needs --out <private-key-file>');
    return 2;
  }
  if (existsSync(out) && !force) {
    console.error(`${out} exists; pass --force to replace it (the old public key stops being valid)`);
    return 1;
  }
  const pair = generateSigningKeyPair();
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, exportPrivateKey(pair.privateKey), { mode: 0o600 });
  writeFileSync(`${out}.pub`, exportPublicKey(pair.publicKey), { mode: 0o644 });
  console.log(`private key written to ${out} (keep it on this server only)`);
  console.log(`public key (register it for this worker id in the cloud), also in ${out}.pub:`);
  console.log(exportPublicKey(pair.publicKey).trim());
  console.log(`raw: ${exportPublicKey(pair.publicKey, 'raw')}`);
  console.log(`keyId: ${keyIdOf(pair.publicKey)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`);
    process.exit(1);
  },
);
