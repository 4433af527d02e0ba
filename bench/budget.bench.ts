import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startLocalStorage } from '../dev/azurite';
import { type HaloSimulator, startHaloSimulator } from '../dev/halo-sim';
import { startStack } from '../dev/stack';
import { connectionFromString } from '../shared/storage/connection';
import { ensureTables } from '../shared/storage/tables/ensureTables';
import { mailLatencies } from './support/mailProbes';
import { type Benchmark, type Figure, percentile } from './types';

// Halo's limit scaled down for speed: 30 requests per rolling 5 s (hosted Halo: 300 per 5 minutes), of which the
// deployment takes its default share (80%: a budget of 24 per window).
const LIMIT = 30;
const WINDOW_MS = 5_000;
const SHARE = 0.8;
const BUDGET = Math.floor(LIMIT * SHARE);
const LOAD_MS = 15_000;
const ROOT = resolve(__dirname, '..');

interface LoadResult {
  sent: number;
  rateLimited: number;
  leases: number;
  conflicts: number;
}

/** One bulk client process (bench/support/budgetLoad.ts), started and waiting for `go`. */
async function startLoad(env: Record<string, string>): Promise<{
  go(): void;
  stop(): void;
  result: Promise<LoadResult>;
  child: ChildProcess;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'budgetLoad.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((resolveReady) => {
    ready = resolveReady;
  });
  const result = new Promise<LoadResult>((resolveResult, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') ready();
      else if (line.startsWith('{')) resolveResult(JSON.parse(line) as LoadResult);
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load process exited ${code}: ${errors.join('')}`));
    });
  });
  await Promise.race([readyPromise, result.then(() => undefined)]);
  return {
    child,
    go: () => child.stdin?.write('go\n'),
    stop: () => child.stdin?.write('stop\n'),
    result,
  };
}

function loadEnv(sim: HaloSimulator, storage: string, durationMs: number): Record<string, string> {
  return {
    BENCH_HALO_URL: sim.url,
    BENCH_CLIENT_ID: sim.clientId,
    BENCH_CLIENT_SECRET: sim.clientSecret,
    BENCH_STORAGE: storage,
    BENCH_LIMIT: String(LIMIT),
    BENCH_WINDOW_MS: String(WINDOW_MS),
    BENCH_SHARE: String(SHARE),
    BENCH_DURATION_MS: String(durationMs),
  };
}

/** Requests Halo served (2xx) and refused (429) on /api/Status between two times. */
function served(sim: HaloSimulator, from: number, until: number): { ok: number; limited: number } {
  const log = sim.requests().filter((r) => r.path === '/api/Status');
  const inRange = log.filter((r) => r.at >= from && r.at < until);
  return {
    ok: inRange.filter((r) => r.status >= 200 && r.status < 300).length,
    limited: inRange.filter((r) => r.status === 429).length,
  };
}

async function processesSharingOneBudget(): Promise<Figure[]> {
  const storage = await startLocalStorage();
  await ensureTables(connectionFromString(storage.connectionString));
  const figures: Figure[] = [];
  try {
    for (const processes of [1, 2, 4]) {
      const sim = await startHaloSimulator({ rateLimit: { requests: LIMIT, windowMs: WINDOW_MS } });
      try {
        const loads = await Promise.all(
          Array.from({ length: processes }, () => startLoad(loadEnv(sim, storage.connectionString, LOAD_MS))),
        );
        const started = Date.now();
        for (const load of loads) load.go();
        const results = await Promise.all(loads.map((l) => l.result));
        const ended = started + LOAD_MS;
        const { ok, limited } = served(sim, started, ended);
        const capacity = (BUDGET * LOAD_MS) / WINDOW_MS;
        const sent = results.reduce((n, r) => n + r.sent, 0);
        const leases = results.reduce((n, r) => n + r.leases, 0);
        figures.push(
          {
            name: `N=${processes}: 429s from Halo`,
            value: limited + results.reduce((n, r) => n + r.rateLimited, 0),
            unit: '',
          },
          {
            name: `N=${processes}: share of the budget used (${BUDGET}/${WINDOW_MS / 1000} s, ${LOAD_MS / 1000} s)`,
            value: (100 * ok) / capacity,
            unit: '%',
          },
          {
            name: `N=${processes}: requests sent / budget leases (table writes)`,
            value: leases > 0 ? sent / leases : 0,
            unit: 'requests per lease',
          },
          {
            name: `N=${processes}: lease write conflicts`,
            value: results.reduce((n, r) => n + r.conflicts, 0),
            unit: '',
          },
        );
      } finally {
        await sim.stop();
      }
    }
  } finally {
    await storage.stop();
  }
  return figures;
}

const LATENCY_MAILS = 10;

async function mailWhileBulkSaturates(): Promise<Figure[]> {
  const stack = await startStack({
    haloRateLimit: { requests: LIMIT, windowMs: WINDOW_MS },
    settings: {
      HALO_RATE_LIMIT_REQUESTS: String(LIMIT),
      HALO_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_MS / 1000),
      HALO_BUDGET_SHARE: String(SHARE),
    },
  });
  try {
    await stack.runner.runTimer('graphSubscriptions');
    await stack.runner.runTimer('mailScanTimer');
    await stack.runner.drain({ timeoutMs: 60_000 }); // baseline
    await stack.runner.runTimer('mailScanTimer');
    await stack.runner.drain({ timeoutMs: 60_000 });
    const idle = await mailLatencies(stack, 'Idle probe', LATENCY_MAILS);

    const load = await startLoad(loadEnv(stack.halo, stack.storage.connectionString, 600_000));
    load.go();
    await new Promise((r) => setTimeout(r, WINDOW_MS)); // the bulk sync fills the budget
    const limitedBefore = stack.halo.counters().rateLimited;
    const busyFrom = Date.now();
    const busy = await mailLatencies(stack, 'Busy probe', LATENCY_MAILS);
    const busyUntil = Date.now();
    load.stop();
    const bulk = await load.result;
    const servedWhileBusy = stack.halo
      .requests()
      .filter((r) => r.path.startsWith('/api/') && r.at >= busyFrom && r.at < busyUntil && r.status < 300).length;
    const budgetWhileBusy = (BUDGET * (busyUntil - busyFrom)) / WINDOW_MS;
    const limited = stack.halo.counters().rateLimited - limitedBefore;
    const p95Idle = percentile(idle, 95);
    const p95Busy = percentile(busy, 95);
    return [
      { name: `idle: notification → ticket p50 (${LATENCY_MAILS} mails)`, value: percentile(idle, 50), unit: 'ms' },
      { name: 'idle: notification → ticket p95', value: p95Idle, unit: 'ms' },
      { name: 'bulk sync saturating the budget: notification → ticket p50', value: percentile(busy, 50), unit: 'ms' },
      { name: 'bulk sync saturating the budget: notification → ticket p95', value: p95Busy, unit: 'ms' },
      { name: 'p95 busy minus p95 idle (goal: within 2 s)', value: p95Busy - p95Idle, unit: 'ms' },
      { name: 'bulk requests sent meanwhile', value: bulk.sent, unit: 'requests' },
      {
        name: `share of the budget used while probing (${((busyUntil - busyFrom) / 1000).toFixed(1)} s)`,
        value: (100 * servedWhileBusy) / budgetWhileBusy,
        unit: '%',
      },
      { name: '429s from Halo meanwhile', value: limited + bulk.rateLimited, unit: '' },
    ];
  } finally {
    await stack.stop();
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: `halo budget: N processes sharing one budget (Halo limit ${LIMIT} per ${WINDOW_MS / 1000} s, share ${SHARE * 100} %)`,
    run: processesSharingOneBudget,
  },
  {
    name: 'halo budget: mail → ticket latency while a bulk sync saturates the budget (same scaled limit)',
    run: mailWhileBulkSaturates,
  },
];
