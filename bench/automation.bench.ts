import { type Stack, startStack } from '../dev/stack';
import { isFinished, type JobStatus, jobIdFor } from '../shared/automation';
import { mapLimit } from '../shared/automation/useCases/mapLimit';
import { type Benchmark, type Figure, percentile } from './types';

const RUNS = 30;
const BURST = 60;
const SAY_HELLO = 32;
const TICKETS = [1001, 1002, 1003, 1004];

/** A stack with the real worker, Halo's rate limits lifted (this measures the pipeline, not Halo's quota). */
async function withStack<T>(workerConcurrency: number, run: (stack: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack({
    worker: true,
    workerConcurrency,
    haloRateLimit: false,
    settings: { HALO_RATE_LIMIT_REQUESTS: '100000' },
  });
  try {
    return await run(stack);
  } finally {
    await stack.stop();
  }
}

/** Drains the runner (fast polling) until every given job is finished (past `queued` and `running`). */
async function untilFinished(stack: Stack, jobIds: readonly string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await stack.runner.drain({ idleMs: 10, timeoutMs });
    const records = await Promise.all(jobIds.map((id) => stack.container.stores.jobs.get(id)));
    if (records.every((r) => r && isFinished(r.status as JobStatus))) return;
    if (Date.now() > deadline) throw new Error('jobs did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function addHello(stack: Stack, ticketId: number): Promise<string> {
  const { scriptRun } = await stack.halo.agentAddsAction({ ticket_id: ticketId, outcome_id: SAY_HELLO });
  if (!scriptRun) throw new Error('Halo queued no script');
  return jobIdFor(`haloScriptQueue:${scriptRun.id}`);
}

export const benchmarks: Benchmark[] = [
  {
    name: 'automation latency: webhook → script started / ticket updated (Halo queue path, real worker)',
    run: () =>
      withStack(2, async (stack) => {
        const updatedAt = new Map<string, number>();
        stack.runner.onInvocation((record) => {
          if (record.functionName === 'jobResults' && record.outcome === 'success') updatedAt.set('last', Date.now());
        });
        const started: number[] = [];
        const updated: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const ticket = stack.halo.store.tables.tickets.get(1001)!;
          ticket.status_id = 1;
          updatedAt.clear();
          const sentAt = Date.now();
          const jobId = await addHello(stack, 1001);
          await untilFinished(stack, [jobId]);
          const job = await stack.container.stores.jobs.get(jobId);
          if (job?.status !== 'succeeded' || ticket.status_id !== 18) throw new Error(`run ${i}: ${job?.status}`);
          started.push(Date.parse(job.startedAt!) - sentAt);
          updated.push((updatedAt.get('last') ?? Date.now()) - sentAt);
        }
        const counters = stack.halo.counters();
        const figures: Figure[] = [
          { name: `webhook → script started p50 (${RUNS} runs)`, value: percentile(started, 50), unit: 'ms' },
          { name: `webhook → script started p95 (${RUNS} runs)`, value: percentile(started, 95), unit: 'ms' },
          { name: `webhook → ticket status updated p50 (${RUNS} runs)`, value: percentile(updated, 50), unit: 'ms' },
          { name: `webhook → ticket status updated p95 (${RUNS} runs)`, value: percentile(updated, 95), unit: 'ms' },
          {
            name: 'Halo API requests per run (all flows on the event)',
            value: counters.total / RUNS,
            unit: 'requests',
          },
        ];
        return figures;
      }),
  },
  ...[1, 4].map(
    (concurrency): Benchmark => ({
      name: `automation throughput: ${BURST} queued scripts, worker concurrency ${concurrency}`,
      run: () =>
        withStack(concurrency, async (stack) => {
          const began = performance.now();
          // Agents on several tickets at once: Halo sends the webhooks in parallel.
          const indexes = Array.from({ length: BURST }, (_, i) => i);
          const jobIds = await mapLimit(indexes, 8, (i) => addHello(stack, TICKETS[i % TICKETS.length]!));
          const queuedMs = performance.now() - began;
          await untilFinished(stack, jobIds);
          const elapsedMs = performance.now() - began;
          const jobs = await Promise.all(jobIds.map((id) => stack.container.stores.jobs.get(id)));
          const succeeded = jobs.filter((j) => j?.status === 'succeeded').length;
          if (succeeded !== BURST) throw new Error(`${succeeded} of ${BURST} jobs succeeded`);
          return [
            {
              name: 'jobs per minute (actions → results applied)',
              value: (BURST / elapsedMs) * 60_000,
              unit: 'jobs/min',
            },
            { name: `${BURST} actions added and webhooks answered`, value: queuedMs, unit: 'ms' },
            { name: 'all results applied', value: elapsedMs, unit: 'ms' },
            { name: 'Halo API requests per job', value: stack.halo.counters().total / BURST, unit: 'requests' },
          ];
        }),
    }),
  ),
];
