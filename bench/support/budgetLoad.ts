// A bulk Halo client in its own process, drawing from the shared budget in Table storage: the bench starts N of
// these. It prints `ready`, waits for `go` on stdin, sends GET /Status in the bulk lane until `stop` (or its
// duration), then prints one JSON line of its figures and exits. Configured by environment (a dev entry point).
import { createInterface } from 'node:readline';
import { createHaloClient } from '../../shared/halo';
import { createBudgetGate } from '../../shared/halo/budget/gate';
import { documentLedger, haloBudgetKey } from '../../shared/halo/budget/ledger';
import { budgetRules } from '../../shared/halo/budget/window';
import { silentLogger } from '../../shared/runtime/logger';
import { connectionFromString } from '../../shared/storage/connection';
import { haloBudgetStore } from '../../shared/storage/tables/haloBudget';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`budgetLoad needs ${name}`);
  return value;
};

async function main(): Promise<void> {
  const baseUrl = env('BENCH_HALO_URL');
  const rules = budgetRules({
    limit: Number(env('BENCH_LIMIT')),
    windowMs: Number(env('BENCH_WINDOW_MS')),
    share: Number(env('BENCH_SHARE')),
    interactiveReserveShare: 0.1,
    maxLease: 10,
  });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const budget = createBudgetGate({
    ledger: documentLedger(
      haloBudgetStore(connectionFromString(env('BENCH_STORAGE'))),
      haloBudgetKey(baseUrl, undefined),
      silentLogger,
    ),
    rules,
    now: Date.now,
    sleep,
    log: silentLogger,
  });
  const client = createHaloClient({
    baseUrl,
    clientId: env('BENCH_CLIENT_ID'),
    clientSecret: env('BENCH_CLIENT_SECRET'),
    budget,
    lane: 'bulk',
    log: silentLogger,
  });
  const lines = createInterface({ input: process.stdin });
  let stopped = false;
  const go = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      if (line.trim() === 'go') resolve();
      if (line.trim() === 'stop') stopped = true;
    });
  });
  process.stdout.write('ready\n');
  await go;
  const until = Date.now() + Number(env('BENCH_DURATION_MS'));
  let sent = 0;
  while (!stopped && Date.now() < until) {
    await client.listStatuses();
    sent++;
  }
  const stats = budget.stats();
  process.stdout.write(`${JSON.stringify({ sent, rateLimited: client.stats().rateLimited, ...stats })}\n`);
  lines.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`budgetLoad: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
