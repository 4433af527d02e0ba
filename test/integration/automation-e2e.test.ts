import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { isFinished, type JobStatus, jobIdFor } from '../../shared/automation';
import { encodeQueueMessage, generateSigningKeyPair, type JobResult, signResult } from '../../shared/jobs';
import { QUEUES, rawQueue } from '../../shared/storage';
import { actionsOf, haloRequests, settle, ticket, workerPrivateKey } from '../support/automation';

const SAY_HELLO = 32;
const PRIVATE_NOTE = 7;
const EMAIL_USER = 1;
const SUCCEEDED = 18;
const FAILED = 19;

// Real worker process, Halo's queue path enabled (as in the demo), and two trigger scripts on outcomes that queue
// nothing in Halo: "Private Note" runs hello (succeeds), "Email User" runs hello with a success text it never prints.
describe('script automation end to end (real worker process)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      worker: true,
      queues: { visibilityTimeout: '00:00:00.200', maxDequeueCount: 2 },
      config: (demo) => ({
        ...demo,
        scripts: [
          ...(demo.scripts as object[]),
          {
            name: 'hello-strict',
            path: 'hello.sh',
            parameters: [{ name: 'Name', from: 'user.name' }],
            success: { text: 'this text never appears', partialMatch: true },
            successStatusId: SUCCEEDED,
            failureStatusId: FAILED,
            failureMessage: 'Hello did not say the magic words.',
            timeoutSeconds: 30,
          },
        ],
        triggers: {
          actions: [
            { outcomeId: PRIVATE_NOTE, script: 'hello' },
            { outcomeId: EMAIL_USER, script: 'hello-strict' },
          ],
          approvals: [],
        },
      }),
    });
  });
  after(async () => {
    await stack?.stop();
  });

  const job = (id: string) => stack.container.stores.jobs.get(id);
  const finished = (id: string) => async () => {
    const record = await job(id);
    return record !== undefined && isFinished(record.status as JobStatus);
  };

  it("Halo's queue: the action's queued script runs on the worker, the record is marked processed, the ticket moves", async () => {
    stack.halo.resetCounters();
    const { scriptRun, deliveries } = await stack.halo.agentAddsAction({ ticket_id: 1001, outcome_id: SAY_HELLO });
    assert.ok(scriptRun, 'Halo queued the script');
    assert.equal(deliveries[0]?.responsestatus, 202);
    const jobId = jobIdFor(`haloScriptQueue:${scriptRun.id}`);
    await settle(stack, finished(jobId));

    const record = await job(jobId);
    assert.equal(record?.status, 'succeeded');
    assert.equal(record?.workerId, 'demo-worker');
    assert.equal(record?.script, 'hello.sh');
    assert.match(record?.output ?? '', /Hello .* \(ticket 1001\)/);
    assert.equal(ticket(stack, 1001).status_id, SUCCEEDED);
    const run = stack.halo.store.tables.scriptRuns.get(scriptRun.id as number);
    assert.equal(run?.processed, true);
    assert.equal(run?.success, true);
    assert.equal(haloRequests(stack, 'POST', '/Tickets'), 1, 'one status update');
    assert.equal(haloRequests(stack, 'POST', '/PowerShellScriptProcessing'), 1, 'one completion');
    const jobs = await stack.container.stores.jobs.list();
    assert.equal(jobs.filter((j) => j.source === `haloScriptQueue:${scriptRun.id}`).length, 1);
  });

  it('webhook trigger → worker → ticket status changed exactly once, even when the result is delivered twice', async () => {
    stack.halo.resetCounters();
    const before = actionsOf(stack, 1002).length;
    const { action } = await stack.halo.agentAddsAction({ ticket_id: 1002, outcome_id: PRIVATE_NOTE, note: 'go' });
    const jobId = jobIdFor(`haloAction:1002:${action?.id}:hello`);
    await settle(stack, finished(jobId));
    const record = await job(jobId);
    assert.equal(record?.status, 'succeeded');
    assert.equal(ticket(stack, 1002).status_id, SUCCEEDED);

    // The same result again (a redelivery), signed by the registered worker: nothing changes in Halo.
    const duplicate: JobResult = {
      v: 1,
      jobId,
      workerId: 'demo-worker',
      status: 'succeeded',
      exitCode: 0,
      stdout: record?.output ?? '',
      stderr: '',
      startedAt: record?.startedAt ?? new Date().toISOString(),
      finishedAt: record?.finishedAt ?? new Date().toISOString(),
    };
    const signed = signResult(duplicate, workerPrivateKey(stack));
    await rawQueue(stack.container.storage, QUEUES.jobResults).sendText(encodeQueueMessage(signed));
    await rawQueue(stack.container.storage, QUEUES.jobResults).sendText(encodeQueueMessage(signed));
    await stack.runner.drain({ idleMs: 100 });

    assert.equal(haloRequests(stack, 'POST', '/Tickets'), 1, 'one status update');
    assert.equal(haloRequests(stack, 'POST', '/Actions'), 0, 'no action from the bridge');
    assert.equal(actionsOf(stack, 1002).length, before + 1, "only the agent's action");
    assert.equal((await job(jobId))?.status, 'succeeded');
  });

  it('a failing script → failure status and one private action with the output tail', async () => {
    stack.halo.resetCounters();
    const { action } = await stack.halo.agentAddsAction({ ticket_id: 1004, outcome_id: EMAIL_USER, note: 'hi' });
    const jobId = jobIdFor(`haloAction:1004:${action?.id}:hello-strict`);
    await settle(stack, finished(jobId));
    assert.equal((await job(jobId))?.status, 'failed');
    assert.equal(ticket(stack, 1004).status_id, FAILED);
    const notes = actionsOf(stack, 1004).filter((a) => a.hiddenfromuser === true);
    assert.equal(notes.length, 1);
    const html = String(notes[0]?.note_html);
    assert.match(html, /Hello did not say the magic words\./);
    assert.match(html, /Output \(end\):<br>Hello Hanna Importer from the halo-bridge worker/);
    assert.match(html, /SUCCESS/);
    assert.equal(haloRequests(stack, 'POST', '/Actions'), 1, 'note and status in one request');
  });

  for (const lookup of ['works', 'fails once'] as const) {
    it(`a failure note whose answer was lost is found by its marker, never added twice (look-up ${lookup})`, async () => {
      stack.halo.resetCounters();
      stack.halo.faults.add({ method: 'POST', path: '^/api/Actions$', times: 1, effect: { kind: 'lostAnswer' } });
      if (lookup === 'fails once') {
        stack.halo.faults.add({
          method: 'GET',
          path: '^/api/Actions\\?',
          times: 1,
          effect: { kind: 'status', status: 400 },
        });
      }
      const { action } = await stack.halo.agentAddsAction({ ticket_id: 1004, outcome_id: EMAIL_USER, note: lookup });
      const jobId = jobIdFor(`haloAction:1004:${action?.id}:hello-strict`);
      await settle(stack, finished(jobId));
      stack.halo.faults.clear();
      const marked = actionsOf(stack, 1004).filter((a) => String(a.note_html).includes(`[halo-bridge job ${jobId}]`));
      assert.equal(marked.length, 1);
      assert.equal(haloRequests(stack, 'POST', '/Actions'), 1, 'never re-sent');
      assert.equal((await job(jobId))?.status, 'failed');
    });
  }

  it('a result signed by an unregistered worker, or with a bad signature, changes nothing', async () => {
    const queued = (await stack.container.stores.jobs.list()).filter((j) => j.status === 'succeeded')[0];
    assert.ok(queued);
    const { jobs } = stack.container.stores;
    await jobs.transition(queued.id, { from: ['succeeded'], to: 'queued' });
    stack.halo.resetCounters();
    const failuresBefore = (await stack.container.stores.queueFailures.list(QUEUES.jobResults)).length;
    const forged = (workerId: string): JobResult => ({
      v: 1,
      jobId: queued.id,
      workerId,
      status: 'failed',
      exitCode: 1,
      stdout: 'forged',
      stderr: '',
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    });
    const rogueKey = generateSigningKeyPair().privateKey;
    const queue = rawQueue(stack.container.storage, QUEUES.jobResults);
    await queue.sendText(encodeQueueMessage(signResult(forged('rogue-worker'), rogueKey)));
    await queue.sendText(encodeQueueMessage(signResult(forged('demo-worker'), rogueKey)));
    await stack.runner.drain({ idleMs: 100 });

    assert.equal((await jobs.get(queued.id))?.status, 'queued', 'the job record is untouched');
    assert.equal(stack.halo.counters().total, 0, 'nothing sent to Halo');
    const failures = await stack.container.stores.queueFailures.list(QUEUES.jobResults);
    assert.equal(failures.length, failuresBefore + 2);
    const reasons = failures.map((f) => f.reason).join('\n');
    assert.match(reasons, /unknownWorker: worker "rogue-worker" is not registered/);
    assert.match(reasons, /badSignature/);
    await jobs.transition(queued.id, { from: ['queued'], to: 'succeeded' });
  });

  it('a result that keeps failing in the consumer is given up, recorded with its error, and the job shows failed', async () => {
    stack.halo.faults.add({ method: 'POST', path: '/api/Tickets', effect: { kind: 'status', status: 400 } });
    try {
      const { action } = await stack.halo.agentAddsAction({ ticket_id: 1003, outcome_id: PRIVATE_NOTE, note: 'x' });
      const jobId = jobIdFor(`haloAction:1003:${action?.id}:hello`);
      await settle(stack, finished(jobId));
      const record = await job(jobId);
      assert.equal(record?.status, 'failed');
      assert.match(record?.error ?? '', /could not be applied \(failed on all 2 deliveries; last error: .*400/);
      assert.equal(stack.runner.stats().jobResults?.poisoned ?? 0, 0, 'recorded by its last delivery, not poisoned');
      const failures = await stack.container.stores.queueFailures.list(QUEUES.jobResults);
      assert.ok(failures.some((f) => f.kind === 'exhausted' && /last error: .*400/.test(f.reason)));
      assert.notEqual(ticket(stack, 1003).status_id, SUCCEEDED);
    } finally {
      stack.halo.faults.clear();
    }
  });
});
