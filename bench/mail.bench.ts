import { type Stack, startStack } from '../dev/stack';
import { KNOWN_SENDER, mailLatencies, SUPPORT, scanNow, ticketFor } from './support/mailProbes';
import { type Benchmark, type Figure, percentile } from './types';

const LATENCY_MAILS = 20;
const BULK_MAILS = 100;
const OLD_MAILS = 5000;
const RESUME_PAGE = 25;
const RESUME_MAILS = 75;

// HTTP requests to Graph itself (not Entra's token endpoint); a $batch of 20 is one request here, and its items
// are counted on their own by batchItems (Graph's throttling counts them one by one).
const graphRequests = (stack: Stack) => stack.graph.requests().filter((r) => r.scope === 'request').length;
const batchItems = (stack: Stack) => stack.graph.requests().filter((r) => r.scope === 'batch').length;
const haloRequests = (stack: Stack) => stack.halo.counters().total;

const inboxDeltaPages = (stack: Stack) => stack.graph.requests().filter((r) => r.route === 'messages.delta');

const hasTicket = (stack: Stack, subject: string) =>
  [...stack.halo.store.tables.tickets.values()].some((t) => t.summary === subject);

/** Runs a scan and returns, for each check, the milliseconds from the trigger until it first held (NaN: never). */
async function scanTimed<C extends readonly (() => boolean)[]>(
  stack: Stack,
  checks: readonly [...C],
): Promise<{ [K in keyof C]: number }> {
  const started = performance.now();
  const at: number[] = checks.map(() => Number.NaN);
  let done = false;
  const scan = scanNow(stack, 180_000).finally(() => {
    done = true;
  });
  const look = () =>
    checks.forEach((check, i) => {
      if (Number.isNaN(at[i]!) && check()) at[i] = performance.now() - started;
    });
  while (!done && at.some(Number.isNaN)) {
    look();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await scan;
  look();
  return at as { [K in keyof C]: number };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'mail to ticket (Graph notification → scan → Halo ticket, local runner + simulators)',
    async run(): Promise<Figure[]> {
      const stack = await startStack({ haloRateLimit: false, settings: { HALO_RATE_LIMIT_REQUESTS: '100000' } });
      try {
        await stack.runner.runTimer('graphSubscriptions');
        await scanNow(stack); // baseline
        await scanNow(stack); // folder ids cached, deltaLink stored

        const idleGraph = graphRequests(stack);
        const idleHalo = haloRequests(stack);
        await scanNow(stack);
        const perIdleScan = graphRequests(stack) - idleGraph;
        const haloPerIdleScan = haloRequests(stack) - idleHalo;

        const latencies = await mailLatencies(stack, 'Latency probe', LATENCY_MAILS);

        const graphBefore = graphRequests(stack);
        const itemsBefore = batchItems(stack);
        const haloBefore = haloRequests(stack);
        const bulkStarted = performance.now();
        for (let i = 0; i < BULK_MAILS; i++) {
          stack.graph.deliverMail(SUPPORT, {
            from: i % 2 ? KNOWN_SENDER : 'unknown@example.net',
            subject: `Bulk ${i}`,
          });
        }
        await stack.graph.settled();
        await stack.runner.drain({ timeoutMs: 120_000 });
        await ticketFor(stack, `Bulk ${BULK_MAILS - 1}`);
        const bulkMs = performance.now() - bulkStarted;
        const graphPer100 = ((graphRequests(stack) - graphBefore) * 100) / BULK_MAILS;
        const itemsPer100 = ((batchItems(stack) - itemsBefore) * 100) / BULK_MAILS;
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
          {
            name: '  $batch items inside those requests (one per move, up to 20 per $batch)',
            value: itemsPer100,
            unit: 'items',
          },
          { name: 'Halo requests per new mail (burst)', value: haloPerMail, unit: 'requests' },
          { name: `burst throughput (${BULK_MAILS} mails)`, value: (BULK_MAILS * 1000) / bulkMs, unit: 'mails/s' },
          { name: 'mailbox scans run in total', value: scans, unit: 'scans' },
        ];
      } finally {
        await stack.stop();
      }
    },
  },
  {
    name: 'mail scan at scale (first scan of a full mailbox, an interrupted scan resumed)',
    async run(): Promise<Figure[]> {
      // No subscriptions: every scan here is one the bench starts, so each figure counts one scan's requests.
      const stack = await startStack({
        haloRateLimit: false,
        queues: { visibilityTimeout: '00:00:01' },
        settings: { MAIL_SCAN_PAGE_SIZE: String(RESUME_PAGE) },
      });
      try {
        const yesterday = new Date(Date.now() - 86_400_000).toISOString();
        for (let i = 0; i < OLD_MAILS; i++) {
          stack.graph.deliverMail(SUPPORT, {
            from: 'megan.bowen@contoso.com',
            subject: `Old ${i}`,
            receivedDateTime: yesterday,
          });
        }
        const firstBefore = graphRequests(stack);
        await scanNow(stack);
        const firstScan = graphRequests(stack) - firstBefore;

        // For comparison: a scan that was not interrupted, from the trigger to its first page and to the ticket.
        stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: 'Probe' });
        const probePages = inboxDeltaPages(stack).length;
        const [normalFirstPage, normalTicket] = await scanTimed(stack, [
          () => inboxDeltaPages(stack).length > probePages,
          () => hasTicket(stack, 'Probe'),
        ]);

        for (let i = 0; i < RESUME_MAILS; i++) {
          stack.graph.deliverMail(SUPPORT, { from: 'megan.bowen@contoso.com', subject: `Resume ${i}` });
        }
        // The connection drops on the round's second page (twice: a dropped GET is sent once more).
        stack.graph.faults.add({ path: 'skiptoken', times: 2, effect: { kind: 'drop' } });
        await scanNow(stack, 180_000);
        const pagesBefore = inboxDeltaPages(stack).length;
        const [backAtPage, lastTicket] = await scanTimed(stack, [
          () => inboxDeltaPages(stack).length > pagesBefore,
          () => hasTicket(stack, `Resume ${RESUME_MAILS - 1}`),
        ]);
        const readAgain = inboxDeltaPages(stack)
          .slice(pagesBefore)
          .filter((r) => !r.path.includes('skiptoken') && !r.path.includes('deltatoken')).length;
        const left = RESUME_MAILS - RESUME_PAGE;
        return [
          {
            name: `Graph requests, first scan of a mailbox holding ${OLD_MAILS} old messages (startFrom: now)`,
            value: firstScan,
            unit: 'requests',
          },
          { name: 'a scan not interrupted: trigger → first page requested', value: normalFirstPage, unit: 'ms' },
          { name: 'a scan not interrupted: trigger → ticket for 1 new mail', value: normalTicket, unit: 'ms' },
          {
            name: 'resume an interrupted scan: trigger → the page it stopped on requested again',
            value: backAtPage,
            unit: 'ms',
          },
          {
            name: `resume an interrupted scan: trigger → last ticket (${left} mails left, pages of ${RESUME_PAGE})`,
            value: lastTicket,
            unit: 'ms',
          },
          { name: 'resume: pages read again from the start of the round', value: readAgain, unit: 'pages' },
        ];
      } finally {
        await stack.stop();
      }
    },
  },
];
