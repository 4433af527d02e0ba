import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Stack, startStack } from '../../dev/stack';
import type { LogEntry } from '../../shared/runtime/logger';
import { newRunId, type RunRecord } from '../../shared/storage';
import { acquireLease, type RunSummary, requireSync, startRun, syncSource } from '../../shared/sync';
import { saveSourceState } from '../../shared/sync/engine/tenantState';
import { contactsByOid, haloApiRequests, postSync, settleRun, TENANTS } from './sync-helpers';

const SCHEDULE = { scope: 'tenant-sync', key: 'schedule' } as const;
const LONG_AGO = '2000-01-01T00:00:00.000Z';

describe('tenant sync: one apply run at a time', () => {
  let stack: Stack;
  const logs: LogEntry[] = [];
  const sync = requireSync('contacts');
  const runs = () => stack.container.stores.runs.list('tenant-sync');
  const newRuns = async (before: readonly RunRecord[]) => {
    const known = new Set(before.map((r) => r.runId));
    return (await runs()).filter((r) => !known.has(r.runId));
  };
  const summaryOf = (run: RunRecord) => run.summary as RunSummary;
  const refusalsLogged = () =>
    logs.filter((e) => e.level === 'warn' && /^scheduled tenant sync not started/.test(e.message));

  before(async () => {
    stack = await startStack({ sink: (entry) => logs.push(entry) });
    await stack.runner.runTimer('syncTimer'); // the first check records its baseline
  });
  after(async () => {
    await stack.stop();
  });

  it('two overlapping apply starts (HTTP and the timer): one runs, the other is refused with its id; 0 duplicates', async () => {
    await stack.container.stores.checkpoints.put(SCHEDULE.scope, SCHEDULE.key, LONG_AGO);
    // Slow contact writes keep the run busy while the later starts arrive.
    stack.halo.faults.add({ effect: { kind: 'latency', ms: 800 }, method: 'POST', path: '/api/Users', times: 3 });
    const before = await runs();
    const [http] = await Promise.all([postSync(stack, { mode: 'apply' }), stack.runner.runTimer('syncTimer')]);

    const started = await newRuns(before);
    assert.equal(started.length, 1, 'exactly one of the two starts made a run');
    const run = started[0]!;
    assert.equal(summaryOf(run).mode, 'apply');
    if (http.status === 202) {
      assert.equal(http.json.runId, run.runId);
      assert.equal(refusalsLogged().at(-1)?.fields.runningRunId, run.runId, 'the timer names the running run');
    } else {
      assert.equal(http.status, 409);
      assert.equal(http.json.runningRunId, run.runId);
      assert.equal(summaryOf(run).trigger, 'schedule');
    }

    const again = await postSync(stack, { mode: 'apply' });
    assert.equal(again.status, 409);
    assert.equal(again.json.runningRunId, run.runId);
    assert.equal(again.json.status, `/api/tenant-sync/${run.runId}`);
    assert.match(String(again.json.error), new RegExp(`already running in apply mode: run ${run.runId}`));
    const generic = await fetch(`${stack.runner.url}/api/sync/contacts`, {
      method: 'POST',
      headers: { 'x-functions-key': stack.keys.functionKey },
      body: '{"mode":"apply"}',
    });
    assert.equal(generic.status, 409);
    assert.equal(((await generic.json()) as { runningRunId: string }).runningRunId, run.runId);

    // A plan writes nothing: it neither waits for the apply run nor blocks it, and says it ran alongside.
    const plan = await postSync(stack, { mode: 'plan' });
    assert.equal(plan.status, 202);

    const applied = await settleRun(stack, run.runId);
    assert.equal(applied.run.status, 'succeeded');
    const planned = await settleRun(stack, String(plan.json.runId));
    assert.equal(summaryOf(planned.run).whileApplying, run.runId);

    const oids = contactsByOid(stack);
    const duplicates = [...oids].filter(([, n]) => n > 1);
    assert.deepEqual(duplicates, [], 'no contact created twice');
    for (const oid of [
      '11111111-0000-4000-8000-000000000001',
      '11111111-0000-4000-8000-000000000003',
      '33333333-0000-4000-8000-000000000001',
    ]) {
      assert.equal(oids.get(oid), 1, oid);
    }
    const one = await fetch(`${stack.runner.url}/api/sync/contacts/${run.runId}?code=${stack.keys.functionKey}`);
    const view = (await one.json()) as { kind: string; tenants: unknown[]; reports: string[] };
    assert.equal(view.kind, 'contacts');
    assert.equal(view.tenants.length, 4);
    assert.ok(view.reports.includes(`tenant-sync/${run.runId}/report.json`));
    const lease = await fetch(`${stack.runner.url}/api/sync/contacts?code=${stack.keys.functionKey}`);
    const overview = (await lease.json()) as { lease: { runId: string; active: boolean; releasedAt?: string } };
    assert.equal(overview.lease.runId, run.runId);
    assert.equal(overview.lease.active, false, 'released when the run finished');
    assert.ok(overview.lease.releasedAt);
  });

  it('a scheduled start refused by a running apply run, or failed, is tried again at the next tick until it starts', async () => {
    await stack.container.stores.checkpoints.put(SCHEDULE.scope, SCHEDULE.key, LONG_AGO);
    const manual = await postSync(stack, { mode: 'apply' });
    assert.equal(manual.status, 202);
    const before = await runs();
    await stack.runner.runTimer('syncTimer');
    assert.deepEqual(await newRuns(before), [], 'refused while the apply run holds the lease');
    assert.equal(refusalsLogged().at(-1)?.fields.runningRunId, manual.json.runId);
    assert.equal((await stack.container.stores.checkpoints.get(SCHEDULE.scope, SCHEDULE.key))?.value, LONG_AGO);
    await settleRun(stack, String(manual.json.runId));

    // The partner tenant cannot be read: the start fails visibly, and the schedule stays due.
    stack.graph.faults.add({
      path: '^/(tenantRelationships/delegatedAdminCustomers|contracts)',
      times: 2,
      effect: { kind: 'status', status: 403, code: 'Authorization_RequestDenied' },
    });
    const tick = await stack.runner.runTimer('syncTimer');
    assert.equal(tick.outcome, 'failure');
    assert.match(String(tick.error), /scheduled sync did not start \(tried again at the next check\)/);
    const [failed] = await newRuns(before);
    assert.equal(failed?.status, 'failed');
    assert.match(String(failed?.error), /no customer tenant source could be read/);
    assert.equal((await stack.container.stores.checkpoints.get(SCHEDULE.scope, SCHEDULE.key))?.value, LONG_AGO);

    const beforeRetry = await runs();
    await stack.runner.runTimer('syncTimer');
    const [retried] = await newRuns(beforeRetry);
    assert.ok(retried, 'the next tick started the run');
    assert.equal(summaryOf(retried).trigger, 'schedule');
    await settleRun(stack, retried.runId);
    assert.notEqual((await stack.container.stores.checkpoints.get(SCHEDULE.scope, SCHEDULE.key))?.value, LONG_AGO);
    const afterRetry = await runs();
    await stack.runner.runTimer('syncTimer');
    assert.deepEqual(await newRuns(afterRetry), [], 'not due again until the next occurrence');
  });

  it('a run whose lease expired is taken over; the old run is closed and its late messages write nothing', async () => {
    const deps = stack.container;
    // Run A: its instance died after it recorded the run and took the lease; its message never ran.
    const stalled = newRunId(new Date());
    await acquireLease(deps, 'tenant-sync', stalled);
    const record = await deps.stores.runs.start('tenant-sync', {
      runId: stalled,
      summary: { mode: 'apply', trigger: 'http', tenants: 1 },
    });
    const tenantRow = {
      tenantId: TENANTS.contoso,
      displayName: 'Contoso',
      source: 'gdap',
      mode: 'apply',
      phase: 'queued' as const,
      attempts: 0,
    };
    await saveSourceState(deps.stores.runs, 'tenant-sync', stalled, tenantRow, record.startedAt, new Date());

    const refused = await postSync(stack, { mode: 'apply' });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.runningRunId, stalled);

    const later = { ...deps, now: () => new Date(Date.now() + (deps.config.syncEngine.leaseSeconds + 5) * 1000) };
    const taken = await startRun(later, sync, { mode: 'apply', trigger: 'cli' });
    assert.ok(taken.ok, JSON.stringify(taken));
    const newRun = await settleRun(stack, taken.runId);
    assert.equal(newRun.run.status, 'succeeded');
    assert.equal(summaryOf(newRun.run).tookOver?.runId, stalled);
    const old = await deps.stores.runs.get('tenant-sync', stalled);
    assert.equal(old?.status, 'failed');
    assert.match(String(old?.error), new RegExp(`^abandoned: .*run ${taken.runId} took over`));

    // A message of A that read its row before the takeover reaches its first write: it stops, writing nothing.
    await saveSourceState(deps.stores.runs, 'tenant-sync', stalled, tenantRow, record.startedAt, new Date());
    stack.halo.resetCounters();
    const late = await syncSource(
      deps,
      sync,
      { runId: stalled, tenantId: TENANTS.contoso, mode: 'apply' },
      { dequeueCount: 1 },
    );
    assert.equal(late.status, 'superseded');
    assert.deepEqual(
      Object.keys(haloApiRequests(stack)).filter((k) => k.startsWith('POST') && k !== 'POST /api/report'),
      [],
      'no Halo write',
    );
    const row = (await deps.stores.runs.list(`tenant-sync:${stalled}`))[0];
    assert.equal(row?.status, 'failed');
    assert.match(String(row?.error), new RegExp(`run ${taken.runId} has held it since`));
  });

  it('a retry never plans again from the run snapshot once one of its write batches was recorded', async () => {
    const deps = stack.container;
    const runId = newRunId(new Date());
    const record = await deps.stores.runs.start('tenant-sync', {
      runId,
      summary: { mode: 'plan', trigger: 'cli', tenants: 1 },
    });
    const row = {
      tenantId: TENANTS.contoso,
      displayName: 'Contoso',
      source: 'gdap',
      mode: 'plan',
      phase: 'retrying' as const,
      attempts: 1,
    };
    await saveSourceState(deps.stores.runs, 'tenant-sync', runId, row, record.startedAt, new Date());
    // An earlier attempt recorded a batch, but its stored plan is gone.
    await deps.stores.dedupe.claim('tenant-sync-batch', `${runId}/${TENANTS.contoso}/0`, { dequeueCount: 1 });
    await assert.rejects(
      syncSource(deps, sync, { runId, tenantId: TENANTS.contoso, mode: 'plan' }, { dequeueCount: 2 }),
      /the plan of tenant .* is missing although some of its writes were recorded; it is not planned again/,
    );
    assert.equal(
      await deps.reports.get(`tenant-sync/${runId}/plans/${TENANTS.contoso}.json`),
      undefined,
      'no new plan',
    );
  });
});
