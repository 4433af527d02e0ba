import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { isFinished, type JobStatus, jobIdFor } from '../../shared/automation';
import {
  encodeQueueMessage,
  exportPublicKey,
  generateSigningKeyPair,
  type PrivateKeyInput,
  type StartedNotice,
  signNotice,
} from '../../shared/jobs';
import { QUEUES, rawQueue } from '../../shared/storage';
import { haloRequests, settle, ticket, workerPrivateKey } from '../support/automation';

const PRIVATE_NOTE = 7;
const SUCCEEDED = 18;
const TICKET = 1002;
const otherGroupWorker = generateSigningKeyPair();

// The real worker runs wait.sh, which holds until the test creates its release file: in between, the jobs table
// must show the job running (from the worker's signed started notice), then succeeded once released.
describe('a running job shows as running (real worker process)', () => {
  let stack: Stack;
  let dir: string;
  const release = () => writeFileSync(join(dir, 'release'), 'go');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'automation-running-'));
    const scripts = join(dir, 'scripts');
    mkdirSync(scripts);
    writeFileSync(
      join(scripts, 'wait.sh'),
      [
        '#!/usr/bin/env bash',
        '# Waits for the test to release it (gives up after ~30 s so a failed test cannot leave it behind).',
        'for _ in $(seq 1 300); do',
        `  if [ -f ${JSON.stringify(join(dir, 'release'))} ]; then echo "released: SUCCESS"; exit 0; fi`,
        '  sleep 0.1',
        'done',
        'echo "never released"; exit 1',
        '',
      ].join('\n'),
    );
    stack = await startStack({
      worker: true,
      workerScriptFolder: scripts,
      queues: { visibilityTimeout: '00:00:00.200', maxDequeueCount: 2 },
      config: (demo) => ({
        ...demo,
        workers: [
          ...(demo.workers as object[]),
          { id: 'other-worker', group: 'other', publicKey: exportPublicKey(otherGroupWorker.publicKey) },
        ],
        scripts: [
          ...(demo.scripts as object[]),
          {
            name: 'wait',
            path: 'wait.sh',
            parameters: [],
            success: { text: 'SUCCESS', partialMatch: true },
            successStatusId: SUCCEEDED,
            timeoutSeconds: 60,
          },
        ],
        triggers: { actions: [{ outcomeId: PRIVATE_NOTE, script: 'wait' }], approvals: [] },
      }),
    });
  });
  after(async () => {
    if (dir) release();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const job = (id: string) => stack.container.stores.jobs.get(id);
  const statusIs = (id: string, check: (status: JobStatus) => boolean) => async () => {
    const record = await job(id);
    return record !== undefined && check(record.status as JobStatus);
  };
  const sendNotice = async (notice: StartedNotice, key: PrivateKeyInput = workerPrivateKey(stack)) => {
    await rawQueue(stack.container.storage, QUEUES.jobResults).sendText(encodeQueueMessage(signNotice(notice, key)));
    await stack.runner.drain({ idleMs: 100 });
  };

  it('queued → running (worker and start time) → succeeded; duplicate, foreign and late notices change nothing', async () => {
    stack.halo.resetCounters();
    const statusBefore = ticket(stack, TICKET).status_id;
    const { action } = await stack.halo.agentAddsAction({ ticket_id: TICKET, outcome_id: PRIVATE_NOTE, note: 'go' });
    const jobId = jobIdFor(`haloAction:${TICKET}:${action?.id}:wait`);

    await settle(
      stack,
      statusIs(jobId, (s) => s !== 'queued'),
    );
    const running = await job(jobId);
    assert.equal(running?.status, 'running', 'the script is still waiting, so the job must show running');
    assert.equal(running?.workerId, 'demo-worker');
    assert.ok(running?.startedAt && !Number.isNaN(Date.parse(running.startedAt)));
    assert.equal(running?.finishedAt, undefined);
    assert.equal(ticket(stack, TICKET).status_id, statusBefore, 'nothing written to the ticket yet');
    assert.equal(haloRequests(stack, 'POST', '/Tickets'), 0);

    // A second notice (a redelivery), one from a worker of another group and one with a stranger's key: no change.
    const startedAt = running?.startedAt as string;
    const notice: StartedNotice = { v: 1, kind: 'started', jobId, workerId: 'demo-worker', startedAt };
    const failuresBefore = (await stack.container.stores.queueFailures.list(QUEUES.jobResults)).length;
    await sendNotice({ ...notice, startedAt: new Date(0).toISOString() });
    await sendNotice({ ...notice, workerId: 'other-worker' }, otherGroupWorker.privateKey);
    await sendNotice(notice, generateSigningKeyPair().privateKey);
    const still = await job(jobId);
    assert.equal(still?.status, 'running');
    assert.equal(still?.startedAt, startedAt);
    const failures = await stack.container.stores.queueFailures.list(QUEUES.jobResults);
    assert.equal(failures.length, failuresBefore + 2);
    const reasons = failures.map((f) => f.reason).join('\n');
    assert.match(reasons, /worker other-worker \(group other\) may not report on a job of default/);
    assert.match(reasons, /badSignature: the signature is not worker demo-worker's/);

    release();
    await settle(stack, statusIs(jobId, isFinished));
    const done = await job(jobId);
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.startedAt, startedAt);
    assert.match(done?.output ?? '', /released: SUCCESS/);
    assert.equal(ticket(stack, TICKET).status_id, SUCCEEDED);

    // The started notice arriving after the result (queues do not keep order) changes nothing.
    await sendNotice(notice);
    assert.equal((await job(jobId))?.status, 'succeeded');
    assert.equal(haloRequests(stack, 'POST', '/Tickets'), 1, 'one status update');
    assert.equal(stack.runner.stats().jobResults?.poisoned ?? 0, 0);
  });
});
