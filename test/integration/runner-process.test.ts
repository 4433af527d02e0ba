import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { isRunning, stillRunningAfter } from '../support/processes';
import { contactsByOid as oidCounts, postSync, settleRun } from './sync-helpers';

describe('the Functions app in a child process (runner: process)', () => {
  let stack: Stack;
  const contactsByOid = () => oidCounts(stack);

  before(async () => {
    stack = await startStack({
      runner: 'process',
      messageLeaseSeconds: 2,
      queues: { visibilityTimeout: '00:00:01' },
      config: (demo) => ({ ...demo, syncEngine: { leaseSeconds: 10 } }),
    });
  });
  after(async () => {
    await stack.stop();
  });

  it('serves HTTP, timers and queues from the child; the stack reads the same storage', async () => {
    const process = stack.runnerProcess!;
    assert.ok(process.pid && process.pid !== globalThis.process.pid);
    const health = await fetch(`${stack.runner.url}/api/health`);
    assert.equal(health.status, 200);
    const tick = await stack.runner.runTimer('syncTimer');
    assert.equal(tick.outcome, 'success');
    assert.equal(stack.runner.stats().syncTimer?.invocations, 1);
    assert.ok(stack.runner.timerSchedules().syncTimer?.expression);
  });

  it('killed with SIGKILL mid-write, a new runner on the same Azurite and simulators finishes the run: 0 duplicates', async () => {
    const runner = stack.runnerProcess!;
    stack.halo.faults.add({
      name: 'slow first contact',
      effect: { kind: 'latency', ms: 1500 },
      method: 'POST',
      path: '^/api/Users',
      times: 1,
    });
    const before = new Set(contactsByOid().keys());
    const started = await postSync(stack, { mode: 'apply' });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const runId = String(started.json.runId);
    const inFlight = () => stack.halo.requests().some((r) => r.method === 'POST' && r.path.startsWith('/api/Users'));
    for (let i = 0; i < 300 && !inFlight(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(inFlight(), 'a contact write reached Halo');
    const pid = runner.pid!;
    await runner.crash();
    assert.equal(isRunning(pid), false);
    assert.equal(await stillRunningAfter(pid, 0), false);

    await runner.restart();
    const settled = await settleRun(stack, runId, 120);
    const duplicates = [...contactsByOid()].filter(([, n]) => n > 1);
    assert.deepEqual(duplicates, [], 'no contact created twice');
    assert.equal(settled.run.status, 'succeeded', JSON.stringify(settled.run));
    const created = [...contactsByOid().keys()].filter((oid) => !before.has(oid));
    const { createContact, pairContact } = settled.run.counts;
    assert.equal(
      created.length,
      (createContact ?? 0) + (pairContact ?? 0),
      'every planned contact has its oid: none lost',
    );
    assert.ok(
      settled.tenants.some((tenant) => (tenant as { attempts?: number }).attempts === 2),
      "the killed runner's message was delivered again",
    );
  });
});
