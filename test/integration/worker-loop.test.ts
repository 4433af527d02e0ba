import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueueServiceClient } from '@azure/storage-queue';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import {
  decodeQueueMessage,
  encodeQueueMessage,
  exportPrivateKey,
  exportPublicKey,
  generateSigningKeyPair,
  isNoticeMessage,
  type Job,
  type JobResult,
  type StartedNotice,
  signJob,
  verifySignedNotice,
  verifySignedResult,
} from '../../shared/jobs';
import { silentLogger } from '../../shared/runtime/logger';
import { parseWorkerConfig } from '../../worker/config';
import { JobStateStore } from '../../worker/jobState';
import { type Poller, startPoller } from '../../worker/poller';
import { createWorkerQueues } from '../../worker/workerQueues';
import { isRunning, stillRunningAfter } from '../support/processes';

const ROOT = join(__dirname, '../..');
const cloud = generateSigningKeyPair();
const stranger = generateSigningKeyPair();
const worker = generateSigningKeyPair();
const registered = { 'test-worker': exportPublicKey(worker.publicKey) };

let storage: LocalStorage;
let service: QueueServiceClient;
let dir: string;
let poller: Poller | undefined;
const children: ChildProcess[] = [];
/** Every job-results message (started notices and results) per job id, in the order they were received. */
const collected = new Map<string, unknown[]>();
const resultsOf = (jobId: string) => (collected.get(jobId) ?? []).filter((m) => !isNoticeMessage(m));
const noticesOf = (jobId: string) => (collected.get(jobId) ?? []).filter(isNoticeMessage);

function job(group: string, script: string, overrides: Partial<Job> = {}): Job {
  const now = Date.now();
  return {
    v: 1,
    jobId: `job-${Math.random().toString(36).slice(2)}`,
    script,
    parameters: { Greeting: 'Hi $(whoami)', Secret: 'p@ssw0rd-very-secret' },
    secretParameters: ['Secret'],
    passing: 'namedParameters',
    ticketId: 1001,
    source: { kind: 'manual', ref: 'test' },
    idempotent: false,
    notBefore: new Date(now - 1000).toISOString(),
    expiresAt: new Date(now + 600_000).toISOString(),
    timeoutSeconds: 60,
    workerGroup: group,
    ...overrides,
  };
}

function configFor(group: string) {
  return {
    workerId: 'test-worker',
    workerGroup: group,
    queue: { connectionString: storage.connectionString },
    scriptFolder: join(dir, 'scripts'),
    cloudPublicKeys: [exportPublicKey(cloud.publicKey, 'raw')],
    privateKeyFile: join(dir, 'worker.key'),
    stateDirectory: join(dir, `state-${group}`),
    // Short, so that a crashed worker's job reappears soon; not so short that a busy machine's late lease renewal
    // hands a running job to a second delivery (which the crash journal answers with a second copy of the result).
    leaseSeconds: 4,
    poll: { busyMs: 50, idleMaxMs: 200 },
    interpreters: { node: process.execPath },
  };
}

/**
 * Takes messages off job-results until the nth result for jobId is there (other jobs' messages, and started
 * notices, are kept aside in `collected`).
 */
async function resultFor(jobId: string, nth = 1, attempts = 400): Promise<unknown> {
  await collectUntil(() => resultsOf(jobId).length >= nth, attempts);
  const message = resultsOf(jobId)[nth - 1];
  assert.ok(message, `no result #${nth} for ${jobId}`);
  return message;
}

async function collectUntil(done: () => boolean, attempts: number): Promise<void> {
  const results = service.getQueueClient('job-results');
  for (let i = 0; i < attempts && !done(); i++) {
    const { receivedMessageItems } = await results.receiveMessages({ numberOfMessages: 32 });
    for (const item of receivedMessageItems) {
      const decoded = decodeQueueMessage(item.messageText);
      assert.ok(decoded.ok);
      const value = decoded.value as { result?: { jobId: string }; notice?: { jobId: string } };
      const id = String((value.notice ?? value.result)?.jobId);
      collected.set(id, [...(collected.get(id) ?? []), decoded.value]);
      await results.deleteMessage(item.messageId, item.popReceipt);
    }
    if (receivedMessageItems.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
}

function verifiedNotice(message: unknown): StartedNotice {
  const check = verifySignedNotice(message, registered);
  assert.ok(check.ok, !check.ok ? check.detail : '');
  return check.notice;
}

function verified(message: unknown): JobResult {
  const check = verifySignedResult(message, registered);
  assert.ok(check.ok, !check.ok ? check.detail : '');
  return check.result;
}

async function waitFor(check: () => boolean, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), 'condition not reached');
}

before(async () => {
  storage = await startLocalStorage();
  service = QueueServiceClient.fromConnectionString(storage.connectionString);
  for (const name of ['job-results', 'jobs-loop', 'jobs-crash', 'jobs-sweep', 'jobs-finished']) {
    await service.getQueueClient(name).create();
  }
  dir = mkdtempSync(join(tmpdir(), 'worker-loop-'));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'worker.key'), exportPrivateKey(worker.privateKey), { mode: 0o600 });
  writeFileSync(
    join(dir, 'scripts', 'greet.js'),
    `const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(join(dir, 'greet-runs.txt'))}, 'ran\\n');
console.log(process.env.HALO_PARAM_GREETING + ' ticket ' + process.env.HALO_TICKET_ID + ' secret=' + process.env.HALO_PARAM_SECRET);
console.log('SUCCESS');`,
  );
  writeFileSync(
    join(dir, 'scripts', 'slow.sh'),
    `echo "$$" >> "${join(dir, 'slow-runs.txt')}"\nsleep 60\necho SUCCESS\n`,
  );
  writeFileSync(
    join(dir, 'scripts', 'gated.js'),
    `const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(join(dir, 'gated-runs.txt'))}, 'ran\\n');
const wait = () => (fs.existsSync(${JSON.stringify(join(dir, 'gate'))}) ? finish() : setTimeout(wait, 50));
const finish = () => { console.log('did the work'); process.exit(3); };
wait();`,
  );
});

interface StartedWorker {
  readonly child: ChildProcess;
  lines(): string[];
}

/** The real worker CLI as a child process, its output kept. */
function startWorker(group: string): StartedWorker {
  const configPath = join(dir, `${group}.config.json`);
  writeFileSync(configPath, JSON.stringify(configFor(group)));
  const child = spawn(
    process.execPath,
    ['--require', './dev/functions-core-stub.cjs', '--import', 'tsx', 'worker/cli.ts', 'run', '--config', configPath],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  return { child, lines: () => output.join('').split('\n') };
}

async function stopWorker(worker: StartedWorker): Promise<void> {
  const exited = new Promise((r) => worker.child.once('exit', r));
  worker.child.kill('SIGTERM');
  assert.equal(await exited, 0, worker.lines().join('\n'));
}

after(async () => {
  await poller?.stop();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (existsSync(join(dir, 'slow-runs.txt'))) {
    for (const pid of readFileSync(join(dir, 'slow-runs.txt'), 'utf8').trim().split('\n').map(Number)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await storage.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker loop against Azurite', () => {
  it('runs a signed job, sends a signed result and deletes the job message; refuses a bad signature', async () => {
    const config = parseWorkerConfig(configFor('loop'), dir);
    const queues = createWorkerQueues(config.queue, config.workerGroup);
    poller = startPoller({
      queues,
      logger: silentLogger,
      concurrency: 2,
      leaseSeconds: config.leaseSeconds,
      busyMs: config.poll.busyMs,
      idleMaxMs: config.poll.idleMaxMs,
      runner: {
        settings: config,
        privateKey: worker.privateKey,
        state: new JobStateStore(config.stateDirectory),
        logger: silentLogger,
        platform: process.platform,
        baseEnv: { PATH: process.env.PATH },
        bootstrapPath: join(ROOT, 'worker/powershell/bootstrap.ps1'),
        now: () => new Date(),
      },
    });
    const jobs = service.getQueueClient('jobs-loop');

    const good = job('loop', 'greet.js');
    await jobs.sendMessage(encodeQueueMessage(signJob(good, cloud.privateKey)));
    const result = verified(await resultFor(good.jobId));
    assert.equal(result.status, 'succeeded');
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'Hi $(whoami) ticket 1001 secret=***\nSUCCESS\n');
    // The signed started notice came first, on the same queue, with the same start time.
    const [first, second] = collected.get(good.jobId) ?? [];
    assert.equal(isNoticeMessage(first), true, 'the started notice is first');
    assert.equal(isNoticeMessage(second), false);
    assert.deepEqual(verifiedNotice(first), {
      v: 1,
      kind: 'started',
      jobId: good.jobId,
      workerId: 'test-worker',
      startedAt: result.startedAt,
    });

    const forged = job('loop', 'greet.js');
    await jobs.sendMessage(encodeQueueMessage(signJob(forged, stranger.privateKey)));
    const tampered = signJob(job('loop', 'greet.js'), cloud.privateKey);
    await jobs.sendMessage(encodeQueueMessage({ ...tampered, job: { ...tampered.job, script: 'slow.sh' } }));
    const pathEscape = job('loop', '../worker.key');
    await jobs.sendMessage(encodeQueueMessage(signJob(pathEscape, cloud.privateKey)));

    const forgedResult = verified(await resultFor(forged.jobId));
    assert.equal(forgedResult.status, 'rejected');
    assert.match(forgedResult.reason ?? '', /^unknownKey/);
    const tamperedResult = verified(await resultFor(tampered.job.jobId));
    assert.equal(tamperedResult.status, 'rejected');
    assert.match(tamperedResult.reason ?? '', /^badSignature/);
    const escapeResult = verified(await resultFor(pathEscape.jobId));
    assert.match(escapeResult.reason ?? '', /^scriptOutsideFolder/);

    // The replayed job (same signed envelope in a new message) is refused and does not run again.
    await jobs.sendMessage(encodeQueueMessage(signJob(good, cloud.privateKey)));
    const replay = verified(await resultFor(good.jobId, 2));
    assert.equal(replay.status, 'rejected');
    assert.match(replay.reason ?? '', /^replayed/);
    await poller.stop();
    poller = undefined;
    assert.equal(readFileSync(join(dir, 'greet-runs.txt'), 'utf8'), 'ran\n');
    for (const refused of [forged.jobId, tampered.job.jobId, pathEscape.jobId]) {
      assert.equal(noticesOf(refused).length, 0, 'a refused job never starts');
    }
    assert.equal(noticesOf(good.jobId).length, 1, 'the replay did not start again');
    assert.equal(existsSync(join(dir, 'slow-runs.txt')), false);
    const properties = await jobs.getProperties();
    assert.equal(properties.approximateMessagesCount, 0);
  });

  it('a worker killed with SIGKILL takes its running script with it; after a restart the job is reported interrupted, not run twice', async () => {
    const slow = job('crash', 'slow.sh');
    await service.getQueueClient('jobs-crash').sendMessage(encodeQueueMessage(signJob(slow, cloud.privateKey)));

    const first = startWorker('crash');
    const runs = join(dir, 'slow-runs.txt');
    await waitFor(() => existsSync(runs) && readFileSync(runs, 'utf8').trim() !== '', 600);
    const scriptPid = Number(readFileSync(runs, 'utf8').trim());
    await collectUntil(() => noticesOf(slow.jobId).length > 0, 600);
    assert.ok(isRunning(scriptPid));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // The guard saw the worker's pipe close and killed the script's group: no orphan keeps running.
    assert.equal(await stillRunningAfter(scriptPid, 5000), false, `script ${scriptPid} outlived its worker`);

    const second = startWorker('crash');
    const result = verified(await resultFor(slow.jobId, 1, 600));
    assert.equal(result.status, 'interrupted');
    assert.equal(result.exitCode, null);
    assert.equal(readFileSync(runs, 'utf8').trim().split('\n').length, 1);
    assert.equal(noticesOf(slow.jobId).length, 1, 'started once, before the crash');
    assert.equal(isNoticeMessage(collected.get(slow.jobId)?.[0]), true);
    await stopWorker(second);
    const properties = await service.getQueueClient('jobs-crash').getProperties();
    assert.equal(properties.approximateMessagesCount, 0);
  });

  it('when the guard died with the worker, the next start kills the leftover script group before taking work', async () => {
    const slow = job('sweep', 'slow.sh');
    await service.getQueueClient('jobs-sweep').sendMessage(encodeQueueMessage(signJob(slow, cloud.privateKey)));
    const runs = join(dir, 'slow-runs.txt');
    const before = existsSync(runs) ? readFileSync(runs, 'utf8').trim().split('\n').length : 0;

    const first = startWorker('sweep');
    await waitFor(() => readFileSync(runs, 'utf8').trim().split('\n').length > before, 600);
    const scriptPid = Number(readFileSync(runs, 'utf8').trim().split('\n').at(-1));
    // The journal has the script's group (written synchronously once spawn() returns; the script may be faster).
    await waitFor(() => new JobStateStore(join(dir, 'state-sweep')).get(slow.jobId)?.pid === scriptPid, 600);
    const guardPid = Number(
      first
        .lines()
        .join('\n')
        .match(/"guardPid":(\d+)/)?.[1],
    );
    assert.ok(guardPid > 0, first.lines().join('\n'));
    process.kill(guardPid, 'SIGKILL');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    assert.equal(isRunning(scriptPid), true, 'with its guard gone, the orphan runs on');

    const second = startWorker('sweep');
    await waitFor(() => second.lines().some((line) => line.includes('worker started')), 1200);
    assert.equal(await stillRunningAfter(scriptPid, 2000), false, second.lines().join('\n'));
    assert.match(second.lines().join('\n'), /its script group is stopped.*"outcome":"killed"/);
    const result = verified(await resultFor(slow.jobId, 1, 600));
    assert.equal(result.status, 'interrupted');
    await stopWorker(second);
  });

  it('a job that finished before the crash, whose result was never sent, is reported truthfully after the restart', async () => {
    const gated = job('finished', 'gated.js');
    await service.getQueueClient('jobs-finished').sendMessage(encodeQueueMessage(signJob(gated, cloud.privateKey)));
    const gate = join(dir, 'gate');
    const first = startWorker('finished');
    await collectUntil(() => noticesOf(gated.jobId).length > 0, 600);
    // The result cannot be sent: the results queue is gone when the script ends.
    await service.getQueueClient('job-results').delete();
    writeFileSync(gate, 'go');
    const journal = new JobStateStore(join(dir, 'state-finished'));
    await waitFor(() => journal.get(gated.jobId)?.phase === 'finished', 600);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await service.getQueueClient('job-results').create();

    const second = startWorker('finished');
    const result = verified(await resultFor(gated.jobId, 1, 600));
    assert.equal(result.status, 'failed', "the script's own outcome, not interrupted");
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout, 'did the work\n');
    assert.equal(readFileSync(join(dir, 'gated-runs.txt'), 'utf8'), 'ran\n', 'ran once');
    await stopWorker(second);
  });
});
