import { type Stack, startStack } from '../dev/stack';
import { type Benchmark, type Figure, percentile } from './types';

const SUPPORT = 'support@bridgemsp.com';
const LATENCY_MAILS = 20;
const BULK_MAILS = 100;

const graphRequests = (stack: Stack) =>
  Object.entries(stack.graph.counters())
    .filter(([route]) => route !== 'token')
    .reduce((n, [, count]) => n + count, 0);
const haloRequests = (stack: Stack) => stack.halo.counters().total;

async function scanNow(stack: Stack): Promise<void> {
  await stack.runner.runTimer('mailScanTimer');
  await stack.runner.drain({ timeoutMs: 60_000 });
}

async function ticketFor(stack: Stack, subject: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    for (const ticket of stack.halo.store.tables.tickets.values()) if (ticket.summary === subject) return;
    if (performance.now() > deadline) throw new Error(`no ticket for "${subject}" after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'mail to ticket (Graph notification → scan → Halo ticket, local runner + simulators)',
    async run(): Promise<Figure[]> {
      const stack = await startStack({ haloRateLimit: false });
      try {
        await stack.runner.runTimer('graphSubscriptions');
        await scanNow(stack); // baseline
        await scanNow(stack); // folder ids cached, deltaLink stored

        const idleGraph = graphRequests(stack);
        const idleHalo = haloRequests(stack);
        await scanNow(stack);
        const perIdleScan = graphRequests(stack) - idleGraph;
        const haloPerIdleScan = haloRequests(stack) - idleHalo;

        const latencies: number[] = [];
        for (let i = 0; i < LATENCY_MAILS; i++) {
          const subject = `Latency probe ${i}`;
          const started = performance.now();
          stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject });
          await ticketFor(stack, subject);
          latencies.push(performance.now() - started);
          await stack.graph.settled();
          await stack.runner.drain({ timeoutMs: 60_000 });
        }

        const graphBefore = graphRequests(stack);
        const haloBefore = haloRequests(stack);
        const bulkStarted = performance.now();
        for (let i = 0; i < BULK_MAILS; i++) {
          stack.graph.deliverMail(SUPPORT, {
            from: i % 2 ? 'megan.bowen@contoso.com' : 'unknown@example.net',
            subject: `Bulk ${i}`,
          });
        }
        await stack.graph.settled();
        await stack.runner.drain({ timeoutMs: 120_000 });
        await ticketFor(stack, `Bulk ${BULK_MAILS - 1}`);
        const bulkMs = performance.now() - bulkStarted;
        const graphPer100 = ((graphRequests(stack) - graphBefore) * 100) / BULK_MAILS;
        const haloPerMail = (haloRequests(stack) - haloBefore) / BULK_MAILS;
        const scans = stack.runner.stats().mailboxScan?.invocations ?? 0;
        return [
          {
            name: `notification → ticket p50 (${LATENCY_MAILS} mails, one at a time)`,
            value: percentile(latencies, 50),
            unit: 'ms',
          },
          { name: 'notification → ticket p95', value: percentile(latencies, 95), unit: 'ms' },
          { name: 'Graph requests per idle scan', value: perIdleScan, unit: 'requests' },
          { name: 'Halo requests per idle scan', value: haloPerIdleScan, unit: 'requests' },
          { name: `Graph requests per 100 new mails (burst of ${BULK_MAILS})`, value: graphPer100, unit: 'requests' },
          { name: 'Halo requests per new mail (burst)', value: haloPerMail, unit: 'requests' },
          { name: `burst throughput (${BULK_MAILS} mails)`, value: (BULK_MAILS * 1000) / bulkMs, unit: 'mails/s' },
          { name: 'mailbox scans run in total', value: scans, unit: 'scans' },
        ];
      } finally {
        await stack.stop();
      }
    },
  },
];
