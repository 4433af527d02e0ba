import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import { QUEUES } from '../../shared/storage';
import {
  getRunStatus,
  type SourcePlan,
  type SyncDefinition,
  type SyncDeps,
  startRun,
  syncSource,
  type WriteBatch,
} from '../../shared/sync';

const SOURCES = [
  { tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'A', source: 'test' },
  { tenantId: 'aaaaaaaa-0000-4000-8000-000000000002', displayName: 'B', source: 'test' },
];

interface Calls {
  sent: { runId: string; resource: string; bodies: unknown[] }[];
  afterApply: { runId: string; tenantId: string; sentBefore: number }[];
  failAfterApply: number;
}

/** A sync with the engine's optional hooks: `send` records what it sends, `afterApply` what it saw. */
function hookedSync(calls: Calls): SyncDefinition {
  return {
    kind: 'intune',
    title: 'engine hook test sync',
    storageName: 'engine-hooks',
    queue: QUEUES.intuneSync,
    functionName: 'engineHooks',
    modes: ['plan', 'apply'],
    settings: () => ({ enabled: true, schedule: '0 0 0 * * *', mode: 'plan', writeBatchSize: 2 }),
    notConfigured: () => undefined,
    listSources: async () => SOURCES,
    unknownSource: (tenantId) => `no ${tenantId}`,
    prepareRun: async () => ({}),
    planSource: async (_deps, _run, source) => ({
      tenantId: source.tenantId,
      changes: [1, 2, 3].map((n) => ({ kind: 'touch', reason: `record ${n}` })),
    }),
    writes: (plan: SourcePlan, { batchSize }): WriteBatch[] => {
      const bodies = plan.changes.map((_, i) => ({ id: i + 1, note: plan.tenantId }));
      const out: WriteBatch[] = [];
      for (let i = 0; i < bodies.length; i += batchSize) {
        const slice = bodies.slice(i, i + batchSize);
        out.push({ resource: '/Thing', bodies: slice, changeCount: slice.length });
      }
      return out;
    },
    beforeSend: async (_deps, batch) => batch.bodies,
    async send(_deps: SyncDeps, batch, bodies, context) {
      calls.sent.push({ runId: context.runId, resource: batch.resource, bodies });
    },
    async afterApply(_deps, plan, context) {
      calls.afterApply.push({
        runId: context.runId,
        tenantId: plan.tenantId,
        sentBefore: calls.sent.filter((s) => s.runId === context.runId).length,
      });
      if (calls.failAfterApply > 0) {
        calls.failAfterApply--;
        throw new Error('checkpoint store unavailable');
      }
    },
    sourceDetails: () => ({}),
    runCounts: () => ({}),
    report: () => ({ json: {}, csv: {} }),
    describeSource: () => 'done',
    describeTotals: () => [],
  };
}

describe('sync engine: the send and afterApply hooks', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  const run = async (sync: SyncDefinition, mode: string) => {
    const started = await startRun(stack.container, sync, { mode, trigger: 'cli' });
    assert.ok(started.ok, JSON.stringify(started));
    return started.runId;
  };

  it('apply: every batch goes through send (not a plain POST), then afterApply once per source, after its batches', async () => {
    const calls: Calls = { sent: [], afterApply: [], failAfterApply: 0 };
    const sync = hookedSync(calls);
    const haloBefore = stack.halo.counters().total;
    const runId = await run(sync, 'apply');
    for (const source of SOURCES) {
      const result = await syncSource(
        stack.container,
        sync,
        { runId, tenantId: source.tenantId, mode: 'apply' },
        { dequeueCount: 1 },
      );
      assert.equal(result.status, 'done');
    }
    assert.equal(calls.sent.length, 4, '2 sources x 2 batches (3 records, 2 a batch)');
    assert.ok(calls.sent.every((s) => s.runId === runId && s.resource === '/Thing'));
    assert.deepEqual(
      calls.afterApply.map((a) => [a.tenantId, a.sentBefore]),
      [
        [SOURCES[0]!.tenantId, 2],
        [SOURCES[1]!.tenantId, 4],
      ],
    );
    assert.equal(stack.halo.counters().total, haloBefore, 'send replaced the default POST');
    assert.equal((await getRunStatus(stack.container, sync, runId))?.run.status, 'succeeded');
  });

  it('plan mode calls neither send nor afterApply', async () => {
    const calls: Calls = { sent: [], afterApply: [], failAfterApply: 0 };
    const sync = hookedSync(calls);
    const runId = await run(sync, 'plan');
    await syncSource(
      stack.container,
      sync,
      { runId, tenantId: SOURCES[0]!.tenantId, mode: 'plan' },
      { dequeueCount: 1 },
    );
    assert.deepEqual(calls, { sent: [], afterApply: [], failAfterApply: 0 });
  });

  it('a failing afterApply fails the attempt; the retry sends no batch again and runs afterApply again', async () => {
    const calls: Calls = { sent: [], afterApply: [], failAfterApply: 1 };
    const sync = hookedSync(calls);
    const runId = await run(sync, 'apply');
    const message = { runId, tenantId: SOURCES[0]!.tenantId, mode: 'apply' };
    await assert.rejects(syncSource(stack.container, sync, message, { dequeueCount: 1 }), /checkpoint store/);
    assert.equal(calls.sent.length, 2);
    const retried = await syncSource(stack.container, sync, message, { dequeueCount: 2 });
    assert.equal(retried.status, 'done');
    assert.equal(calls.sent.length, 2, 'the recorded batches were not sent again');
    assert.equal(calls.afterApply.length, 2);
  });
});
