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
  for (const name of ['job-results', 'jobs-loop', 'jobs-crash']) await service.getQueueClient(name).create();
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
});

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

  it('after a crash mid-job, reports the job interrupted and does not run it twice', async () => {
    const configPath = join(dir, 'crash.config.json');
    writeFileSync(configPath, JSON.stringify(configFor('crash')));
    const startWorker = () => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          './dev/functions-core-stub.cjs',
          '--import',
          'tsx',
          'worker/cli.ts',
          'run',
          '--config',
          configPath,
        ],
        { cwd: ROOT, stdio: 'ignore' },
      );
      children.push(child);
      return child;
    };
    const slow = job('crash', 'slow.sh');
    await service.getQueueClient('jobs-crash').sendMessage(encodeQueueMessage(signJob(slow, cloud.privateKey)));

    const first = startWorker();
    const runs = join(dir, 'slow-runs.txt');
    await waitFor(() => existsSync(runs) && readFileSync(runs, 'utf8').trim() !== '', 600);
    await collectUntil(() => noticesOf(slow.jobId).length > 0, 600);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // The orphaned script would otherwise keep running: a real crash (e.g. a reboot) takes it down too.
    process.kill(-Number(readFileSync(runs, 'utf8').trim()), 'SIGKILL');

    const second = startWorker();
    const result = verified(await resultFor(slow.jobId, 1, 600));
    assert.equal(result.status, 'interrupted');
    assert.equal(result.exitCode, null);
    assert.equal(readFileSync(runs, 'utf8').trim().split('\n').length, 1);
    assert.equal(noticesOf(slow.jobId).length, 1, 'started once, before the crash');
    assert.equal(isNoticeMessage(collected.get(slow.jobId)?.[0]), true);
    second.kill('SIGTERM');
    assert.equal(await new Promise((r) => second.once('exit', r)), 0);
    const properties = await service.getQueueClient('jobs-crash').getProperties();
    assert.equal(properties.approximateMessagesCount, 0);
  });
});
