import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Timer } from '@azure/functions';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { type LocalRunner, parseHostJson, startLocalRunner, type TimerApi } from '../../dev/runner';
import type { Container } from '../../shared/app/container';
import { silentLogger } from '../../shared/runtime/logger';
import type { FunctionDefinition } from '../../shared/runtime/registry';

const container = {} as unknown as Container;
const hostJson = parseHostJson({ version: '2.0' });
const keys = { functionKey: 'f-key-0000', masterKey: 'm-key-0000' };

/** Timers that only fire when the test says so, and a clock the test moves. */
function manualTimers(start: Date) {
  let now = start.getTime();
  const pending = new Map<number, { callback: () => void; at: number }>();
  let nextId = 1;
  const api: TimerApi = {
    setTimeout: (callback, ms) => {
      const id = nextId++;
      pending.set(id, { callback, at: now + ms });
      return id;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  return {
    api,
    clock: () => new Date(now),
    pending: () => [...pending.values()].map((p) => p.at - now),
    /** Moves the clock to the earliest pending timer and fires it. */
    fireNext() {
      const [id, entry] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      pending.delete(id);
      now = Math.max(now, entry.at);
      entry.callback();
    },
  };
}

describe('local runner: timer triggers', () => {
  let storage: LocalStorage;
  let runner: LocalRunner;
  const fake = manualTimers(new Date('2025-03-01T10:00:00.000Z'));
  const runs: Record<string, Timer[]> = { scan: [], nightly: [], startup: [] };

  before(async () => {
    storage = await startLocalStorage();
    const functions: FunctionDefinition[] = [
      {
        kind: 'timer',
        name: 'scan',
        schedule: '%MAILBOX_SCAN_SCHEDULE%',
        handler: async (timer) => {
          runs.scan!.push(timer);
        },
      },
      {
        kind: 'timer',
        name: 'nightly',
        schedule: '0 30 2 * * *',
        handler: async (timer) => {
          runs.nightly!.push(timer);
          throw new Error('nightly failed');
        },
      },
      {
        kind: 'timer',
        name: 'startup',
        schedule: '0 0 0 1 1 *',
        runOnStartup: true,
        handler: async (timer) => {
          runs.startup!.push(timer);
        },
      },
    ];
    runner = await startLocalRunner({
      functions,
      container,
      storageConnectionString: storage.connectionString,
      hostJson,
      keys,
      settings: { MAILBOX_SCAN_SCHEDULE: '*/15 * * * * *' },
      log: silentLogger,
      clock: fake.clock,
      timers: fake.api,
    });
  });

  after(async () => {
    await runner.stop();
    await storage.stop();
  });

  it('runs a runOnStartup timer once at start', async () => {
    await runner.drain({ idleMs: 20 });
    assert.equal(runs.startup!.length, 1);
    assert.equal(runs.startup![0]!.isPastDue, false);
  });

  it('plans each schedule from its NCRONTAB expression, %NAME% read from the settings', () => {
    assert.deepEqual(runner.timerSchedules(), {
      scan: { expression: '*/15 * * * * *', next: '2025-03-01T10:00:15.000Z' },
      nightly: { expression: '0 30 2 * * *', next: '2025-03-02T02:30:00.000Z' },
      startup: { expression: '0 0 0 1 1 *', next: '2026-01-01T00:00:00.000Z' },
    });
    // Long waits are split into hours; the first scan is 15 s away.
    assert.deepEqual(
      fake.pending().sort((a, b) => a - b),
      [15_000, 3600_000, 3600_000],
    );
  });

  it('fires the %NAME% schedule with a Timer like the host', async () => {
    fake.fireNext();
    await runner.drain({ idleMs: 20 });
    assert.equal(runs.scan!.length, 1);
    const timer = runs.scan![0]!;
    assert.equal(timer.isPastDue, false);
    assert.equal(timer.schedule.adjustForDST, true);
    assert.equal(timer.scheduleStatus.last, '0001-01-01T00:00:00.000Z');
    assert.equal(timer.scheduleStatus.next, '2025-03-01T10:00:30.000Z');
    assert.equal(timer.scheduleStatus.lastUpdated, '2025-03-01T10:00:15.000Z');
    fake.fireNext();
    await runner.drain({ idleMs: 20 });
    assert.equal(runs.scan!.length, 2);
    assert.equal(runs.scan![1]!.scheduleStatus.last, '2025-03-01T10:00:15.000Z');
  });

  it('runTimer fires one now and reports its outcome', async () => {
    const record = await runner.runTimer('nightly');
    assert.equal(record.outcome, 'failure');
    assert.match(record.error ?? '', /nightly failed/);
    assert.equal(runs.nightly!.length, 1);
    assert.equal((await runner.runTimer('scan')).outcome, 'success');
    assert.equal(runs.scan!.length, 3);
    await assert.rejects(runner.runTimer('nope'), /no timer function named nope/);
    assert.deepEqual(runner.stats().nightly, { invocations: 1, successes: 0, failures: 1, poisoned: 0 });
  });

  it('refuses to start when a %NAME% schedule is not set or an expression is not six-field NCRONTAB', async () => {
    const start = (schedule: string) =>
      startLocalRunner({
        functions: [{ kind: 'timer', name: 'bad', schedule, handler: async () => {} }],
        container,
        storageConnectionString: storage.connectionString,
        hostJson,
        keys,
        settings: {},
        log: silentLogger,
      });
    await assert.rejects(start('%MISSING%'), /MISSING, which is not set/);
    await assert.rejects(start('*/5 * * * *'), /six-field NCRONTAB/);
  });
});

describe('local runner: stop', () => {
  it('leaves nothing running: a process that starts and stops a runner exits by itself', () => {
    const script = `
      const { startLocalStorage } = require('./dev/azurite');
      const { startLocalRunner, parseHostJson } = require('./dev/runner');
      const { silentLogger } = require('./shared/runtime/logger');
      (async () => {
        const storage = await startLocalStorage();
        const runner = await startLocalRunner({
          functions: [
            { kind: 'queue', name: 'q', queueName: 'stop-test', handler: async () => {} },
            { kind: 'timer', name: 't', schedule: '* * * * * *', handler: async () => {} },
            { kind: 'http', name: 'h', route: 'h', methods: ['GET'], authLevel: 'anonymous', handler: async () => ({}) },
          ],
          container: {},
          storageConnectionString: storage.connectionString,
          hostJson: parseHostJson({ version: '2.0' }),
          keys: { functionKey: 'aaaa', masterKey: 'bbbb' },
          log: silentLogger,
        });
        await (await fetch(runner.url + '/api/h')).text();
        await runner.stop();
        await storage.stop();
        console.log('stopped');
      })();
    `;
    const result = spawnSync(
      process.execPath,
      ['--require', './dev/functions-core-stub.cjs', '--import', 'tsx', '-e', script],
      { cwd: join(__dirname, '../..'), encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.signal, null, 'the process had to be killed: something was left running');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /stopped/);
  });
});
