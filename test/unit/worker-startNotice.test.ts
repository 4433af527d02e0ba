import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  encodeQueueMessage,
  exportPublicKey,
  generateSigningKeyPair,
  type Job,
  type SignedNotice,
  signJob,
  verifySignedNotice,
  verifySignedResult,
} from '../../shared/jobs';
import { createLogger, memorySink } from '../../shared/runtime/logger';
import { JobStateStore } from '../../worker/jobState';
import { type JobRunnerDeps, processJobMessage } from '../../worker/processJob';
import { settleWithin } from '../../worker/startNotice';

const cloud = generateSigningKeyPair();
const worker = generateSigningKeyPair();
const registered = { 'w-1': exportPublicKey(worker.publicKey) };
let dir: string;
let counter = 0;

function job(script: string): Job {
  const now = Date.now();
  return {
    v: 1,
    jobId: `job-${++counter}`,
    script,
    parameters: {},
    passing: 'namedParameters',
    source: { kind: 'manual', ref: 'test' },
    idempotent: false,
    notBefore: new Date(now - 1000).toISOString(),
    expiresAt: new Date(now + 600_000).toISOString(),
    timeoutSeconds: 30,
    workerGroup: 'default',
  };
}

function deps(sink = memorySink()): JobRunnerDeps {
  return {
    settings: {
      workerId: 'w-1',
      workerGroup: 'default',
      scriptFolder: join(dir, 'scripts'),
      scripts: {},
      requirePins: false,
      cloudPublicKeys: [exportPublicKey(cloud.publicKey)],
      interpreters: {
        pwsh: 'pwsh',
        windowsPowerShell: 'powershell.exe',
        bash: 'bash',
        node: process.execPath,
        python3: 'python3',
      },
      outputCapBytes: 4000,
      clockSkewSeconds: 60,
    },
    privateKey: worker.privateKey,
    state: new JobStateStore(join(dir, `state-${counter}`)),
    logger: createLogger({ sink }),
    platform: process.platform,
    baseEnv: { PATH: process.env.PATH },
    bootstrapPath: join(__dirname, '../../worker/powershell/bootstrap.ps1'),
    now: () => new Date(),
  };
}

const message = (j: Job) => ({
  messageId: `m-${j.jobId}`,
  messageText: encodeQueueMessage(signJob(j, cloud.privateKey)),
});

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'worker-notice-'));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(
    join(dir, 'scripts', 'mark.js'),
    `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'ran'))}, 'x'); console.log('SUCCESS');`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the started notice', () => {
  it('is signed by the worker and sent before the script runs, with the result’s start time', async () => {
    const sent: { notice: SignedNotice; scriptHadRun: boolean }[] = [];
    const j = job('mark.js');
    const result = await processJobMessage(message(j), deps(), {
      sendNotice: async (notice) => {
        sent.push({ notice, scriptHadRun: existsSync(join(dir, 'ran')) });
      },
    });
    assert.equal(result.result.status, 'succeeded');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.scriptHadRun, false);
    const check = verifySignedNotice(JSON.parse(JSON.stringify(sent[0]?.notice)), registered);
    assert.ok(check.ok, !check.ok ? check.detail : '');
    assert.deepEqual(check.notice, {
      v: 1,
      kind: 'started',
      jobId: j.jobId,
      workerId: 'w-1',
      startedAt: result.result.startedAt,
    });
    assert.ok(verifySignedResult(result, registered).ok);
  });

  it('never fails the job: a send that fails is logged and the script still runs', async () => {
    rmSync(join(dir, 'ran'), { force: true });
    const sink = memorySink();
    const result = await processJobMessage(message(job('mark.js')), deps(sink), {
      sendNotice: () => Promise.reject(new Error('queue unavailable')),
    });
    assert.equal(result.result.status, 'succeeded');
    assert.equal(existsSync(join(dir, 'ran')), true);
    const warning = sink.entries.find((e) => e.message.includes('could not send the started notice'));
    assert.equal(warning?.level, 'warn');
  });

  it('is not sent for a job that is refused before its script starts', async () => {
    const sent: SignedNotice[] = [];
    const result = await processJobMessage(message(job('missing.js')), deps(), {
      sendNotice: async (notice) => {
        sent.push(notice);
      },
    });
    assert.equal(result.result.status, 'rejected');
    assert.equal(sent.length, 0);
  });

  it('settleWithin returns for a send that never settles', async () => {
    await settleWithin(new Promise(() => undefined), 10);
    await settleWithin(Promise.reject(new Error('x')), 10_000);
  });
});
