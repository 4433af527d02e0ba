// `npm start`: the whole system on this machine. With no real services configured it runs the embedded demo
// (Azurite, the Halo, Graph and Key Vault simulators, the Functions app in the local runner, a hybrid worker);
// with HALO_BASE_URL in local.settings.json it runs the same functions against the real services.
// `npm start -- --once`: fire every timer once, drain every queue, print a summary per flow, exit 0 only if all ok.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LogEntry, LogSink } from '../shared/runtime/logger';
import { writeStackFile } from './cli/consoleTarget';
import { consoleSink } from './demo/consoleSink';
import { discoverDemoFlows } from './demo/discover';
import { queueFailureLines } from './demo/queueFailures';
import { settle } from './demo/settle';
import type { FlowSummary } from './demo/types';
import { startRealServices } from './realServices';
import { type Stack, startStack } from './stack';
import { freePort } from './stack/freePort';

const ROOT = resolve(__dirname, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
  const once = values.once ?? false;
  const colour = process.stdout.isTTY === true;
  const sink = consoleSink({ colour });
  const localSettings = readLocalSettings();
  if (localSettings?.HALO_BASE_URL) return startRealServices({ settings: localSettings, once, sink });

  const say = (line: string) => process.stdout.write(`${line}\n`);
  const workerSink = workerLineSink(sink, say);
  say('halo-bridge: starting the local demo stack ...');
  const stack = await startStack({
    worker: true,
    timers: !once,
    ports: { runner: once ? 0 : await portOr7071(say) },
    sink,
    onWorkerLine: (line) => workerSink(line),
  });
  try {
    return await runDemo(stack, once, say);
  } catch (error) {
    say(`halo-bridge: ${(error as Error).message}`);
    await stack.stop();
    return 1;
  }
}

async function runDemo(stack: Stack, once: boolean, say: (line: string) => void): Promise<number> {
  const keysFile = writeDemoKeys(stack);
  printWhereThingsListen(stack, keysFile, say);
  // `npm run cli -- status|runs|jobs|mail-log|failures` read this stack while it runs.
  const removeStackFile = once ? () => {} : writeStackFile(stack);
  const flows = await discoverDemoFlows();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    removeStackFile();
    say('halo-bridge: stopping ...');
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const flow of flows) {
    await flow.kickoff(stack, (line) => say(`[demo:${flow.name}] ${line}`));
  }
  if (!once) {
    say('halo-bridge: running. Timers fire on their schedules; Ctrl-C stops everything.');
    await settle(stack, flows);
    printSummaries(await summarise(stack, flows), say);
    return new Promise<number>(() => {});
  }

  const startedAt = new Date();
  for (const name of Object.keys(stack.runner.timerSchedules())) {
    const record = await stack.runner.runTimer(name);
    if (record.outcome !== 'success') say(`timer ${name}: ${record.outcome} ${record.error ?? ''}`);
  }
  const settled = await settle(stack, flows);
  const summaries = await summarise(stack, flows);
  printSummaries(summaries, say);
  const stats = stack.runner.stats();
  const failedFunctions = Object.entries(stats).filter(([, s]) => s.failures > 0 || s.poisoned > 0);
  for (const [name, s] of failedFunctions)
    say(`function ${name}: ${s.failures} failed invocation(s), ${s.poisoned} poisoned`);
  const queueFailures = await queueFailureLines(stack.container, startedAt);
  for (const line of queueFailures) say(line);
  const ok = settled && summaries.every((s) => s.ok) && queueFailures.length === 0;
  say(ok ? 'halo-bridge --once: every flow ok' : 'halo-bridge --once: FAILED (see above)');
  await stop(ok ? 0 : 1);
  return ok ? 0 : 1;
}

async function summarise(stack: Stack, flows: Awaited<ReturnType<typeof discoverDemoFlows>>): Promise<FlowSummary[]> {
  const summaries: FlowSummary[] = [];
  for (const flow of flows) {
    try {
      summaries.push(await flow.summarize(stack));
    } catch (error) {
      summaries.push({
        flow: flow.name,
        ok: false,
        lines: [],
        failures: [`summary failed: ${(error as Error).message}`],
      });
    }
  }
  return summaries;
}

function printSummaries(summaries: readonly FlowSummary[], say: (line: string) => void): void {
  say('');
  say('==== summary ====');
  for (const summary of summaries) {
    say(`${summary.ok ? '✔' : '✘'} ${summary.flow}`);
    for (const line of summary.lines) say(`    ${line}`);
    for (const failure of summary.failures) say(`    FAILED: ${failure}`);
  }
  say('');
}

/** 7071 like `func start`, unless something else has it (another `npm start`). */
async function portOr7071(say: (line: string) => void): Promise<number> {
  const free = await new Promise<boolean>((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(7071, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
  if (free) return 7071;
  const port = await freePort();
  say(`halo-bridge: port 7071 is taken (another npm start?), using ${port}`);
  return port;
}

/**
 * The demo's keys and webhook password are random per run and never printed: they are written to a git-ignored
 * file for whoever wants to call the function-level endpoints by hand.
 */
function writeDemoKeys(stack: Stack): string {
  const path = join(ROOT, '.dev', 'demo-keys.json');
  mkdirSync(dirname(path), { recursive: true });
  const keys = { ...stack.keys, haloWebhook: { username: stack.webhook.username, password: stack.webhook.password } };
  writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return path;
}

function printWhereThingsListen(stack: Stack, keysFile: string, say: (line: string) => void): void {
  say('');
  say(
    `  Functions app   ${stack.settings.PUBLIC_BASE_URL}/api   (function and master keys: ${relative(ROOT, keysFile)})`,
  );
  say(
    `  Console         ${stack.settings.PUBLIC_BASE_URL}/api/console   (the demo signs you in as the local operator)`,
  );
  say('  Console CLI     npm run cli -- status | runs | jobs | mail-log | failures   (reads this stack while it runs)');
  say(`  Halo simulator  ${stack.halo.url}   (counters: ${stack.halo.url}/_sim/counters)`);
  say(`  Graph simulator ${stack.graph.url}   (counters: ${stack.graph.url}/_sim/counters)`);
  say(`  Key Vault fake  ${stack.keyVault.url}`);
  say(`  Azurite         ${stack.storage.queueUrl} (queues), ${stack.storage.tableUrl} (tables)`);
  say(
    `  Worker          ${stack.worker ? `pid ${stack.worker.child.pid}, scripts in worker/examples/scripts` : 'not started'}`,
  );
  say('');
}

/** The worker logs JSON lines; show them like the app's own log, tagged [worker]. */
function workerLineSink(sink: LogSink, say: (line: string) => void): (line: string) => void {
  return (line) => {
    try {
      const entry = JSON.parse(line) as {
        level: LogEntry['level'];
        message: string;
        fields?: Record<string, unknown>;
        time: string;
      };
      sink({
        level: entry.level,
        message: entry.message,
        time: entry.time,
        fields: { component: 'worker', ...entry.fields },
      });
    } catch {
      say(`[worker] ${line}`);
    }
  };
}

function readLocalSettings(): Record<string, string> | undefined {
  const path = join(ROOT, 'local.settings.json');
  if (!existsSync(path)) return undefined;
  const document = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, string> };
  return document.Values;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error) => {
    console.error(`halo-bridge: ${(error as Error).message}`);
    process.exit(1);
  },
);
