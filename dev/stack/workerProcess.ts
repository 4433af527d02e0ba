import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportPrivateKey, type generateSigningKeyPair } from '../../shared/jobs';

const ROOT = resolve(__dirname, '..', '..');

export interface WorkerProcessOptions {
  readonly directory: string;
  readonly workerId: string;
  readonly workerGroup: string;
  readonly storageConnectionString: string;
  readonly cloudPublicKey: string;
  readonly keys: ReturnType<typeof generateSigningKeyPair>;
  readonly scriptFolder?: string;
  /** Jobs run in parallel (default 2). */
  readonly concurrency?: number;
  /** Called with each line the worker prints. */
  readonly onLine?: (line: string) => void;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly configPath: string;
  lines(): readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts the real hybrid worker CLI (`worker/cli.ts run`) as a child process against the local storage. The worker
 * exits when this process does, however it ends.
 */
export function startWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  mkdirSync(options.directory, { recursive: true });
  const keyFile = join(options.directory, 'worker.key');
  writeFileSync(keyFile, exportPrivateKey(options.keys.privateKey), { mode: 0o600 });
  const config = {
    workerId: options.workerId,
    workerGroup: options.workerGroup,
    queue: { connectionString: options.storageConnectionString },
    scriptFolder: options.scriptFolder ?? join(ROOT, 'worker', 'examples', 'scripts'),
    cloudPublicKeys: [options.cloudPublicKey],
    privateKeyFile: keyFile,
    stateDirectory: join(options.directory, 'state'),
    concurrency: options.concurrency ?? 2,
    poll: { busyMs: 100, idleMaxMs: 1000 },
    leaseSeconds: 30,
  };
  const configPath = join(options.directory, 'worker.config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  // The IPC channel is only a lifeline: when this process dies (even by SIGKILL) the channel closes, and the worker
  // (`run` listens for 'disconnect') stops instead of polling on as an orphan. Unref'd: it keeps no one alive.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'worker', 'cli.ts'), 'run', '--config', configPath],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: process.env,
    },
  );
  child.channel?.unref();
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 2000) lines.shift();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    configPath,
    lines: () => lines,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
}
