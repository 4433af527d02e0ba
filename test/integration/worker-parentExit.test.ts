import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueueServiceClient } from '@azure/storage-queue';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { startWorkerProcess } from '../../dev/stack/workerProcess';
import { exportPublicKey, generateSigningKeyPair } from '../../shared/jobs';
import { isRunning, stillRunningAfter } from '../support/processes';

const ROOT = join(__dirname, '../..');
const GROUP = 'lifeline';

let storage: LocalStorage;
let dir: string;
const started: ChildProcess[] = [];
const orphans: number[] = [];

function readLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolveLine, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${buffered}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = buffered.match(pattern);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolveLine(match);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before printing ${pattern}:\n${buffered}`));
    });
  });
}

before(async () => {
  storage = await startLocalStorage();
  const service = QueueServiceClient.fromConnectionString(storage.connectionString);
  for (const name of ['job-results', `jobs-${GROUP}`]) await service.getQueueClient(name).create();
  dir = mkdtempSync(join(tmpdir(), 'worker-parent-exit-'));
});

after(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of orphans) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await storage.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dev stack worker does not outlive the process that started it', () => {
  it('a parent killed with SIGKILL (no chance to stop its children) takes the worker with it', async () => {
    // A small parent process that starts the worker the way the dev stack does, says its pid once it polls, and
    // then waits to be killed.
    const parentScript = join(dir, 'parent.ts');
    writeFileSync(
      parentScript,
      `import { startWorkerProcess } from ${JSON.stringify(join(ROOT, 'dev', 'stack', 'workerProcess'))};
import { generateSigningKeyPair, exportPublicKey } from ${JSON.stringify(join(ROOT, 'shared', 'jobs'))};
const options = JSON.parse(process.env.PARENT_OPTIONS!);
const worker = startWorkerProcess({
  ...options,
  keys: generateSigningKeyPair(),
  cloudPublicKey: exportPublicKey(generateSigningKeyPair().publicKey),
  onLine: (line) => {
    if (line.includes('worker started')) console.log('worker-pid ' + worker.child.pid);
  },
});
setInterval(() => undefined, 60_000);
`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', parentScript], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        PARENT_OPTIONS: JSON.stringify({
          directory: join(dir, 'killed-parent'),
          workerId: 'lifeline-worker',
          workerGroup: GROUP,
          storageConnectionString: storage.connectionString,
        }),
      },
    });
    started.push(parent);
    const workerPid = Number((await readLine(parent, /worker-pid (\d+)/, 30_000))[1]);
    orphans.push(workerPid);
    assert.ok(isRunning(workerPid), 'the worker runs while its parent does');

    const parentGone = new Promise((resolveExit) => parent.once('exit', resolveExit));
    parent.kill('SIGKILL');
    await parentGone;
    assert.equal(await stillRunningAfter(workerPid, 20_000), false, `worker ${workerPid} outlived its parent`);
  });

  it('the worker stops gracefully (exit code 0) when its IPC channel closes', async () => {
    const keys = generateSigningKeyPair();
    const worker = startWorkerProcess({
      directory: join(dir, 'disconnected'),
      workerId: 'lifeline-worker-2',
      workerGroup: GROUP,
      storageConnectionString: storage.connectionString,
      cloudPublicKey: exportPublicKey(generateSigningKeyPair().publicKey),
      keys,
    });
    started.push(worker.child);
    await readLine(worker.child, /worker started/, 30_000);
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolveExit) =>
      worker.child.once('exit', (code, signal) => resolveExit([code, signal])),
    );
    worker.child.disconnect();
    assert.deepEqual(await exited, [0, null]);
    assert.ok(
      worker.lines().some((line) => line.includes('stopping') && line.includes('the parent process is gone')),
      worker.lines().join('\n'),
    );
  });
});
