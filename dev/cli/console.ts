// The console's answers on the command line: `status`, `runs`, `jobs`, `mail-log`, `failures`. Each runs the same
// read as the console's page and JSON (shared/console/reads.ts), with the page's query parameters as flags, and
// prints it as text, or with --json exactly the JSON the console's URL answers.
import { join } from 'node:path';
import type { z } from 'zod';
import { dismissFailure, replayFailure } from '../../shared/console/actions/failures';
import type { ConsoleDeps } from '../../shared/console/deps';
import type { ActionResult } from '../../shared/console/http';
import { consoleReads, type Loaded, parseQueryOf, type QueryRead, timersOf } from '../../shared/console/reads';
import type { OverviewView } from '../../shared/console/views/overview';
import { SYNCS } from '../../shared/sync/syncs';
import { loadFunctionFiles } from '../runner';
import { type CliCommand, parseCommandArgs, say, UsageError } from './command';
import { consoleTarget } from './consoleTarget';
import { failuresLines, jobLines, jobsLines, mailLines, overviewLines, runLines, runsLines } from './consoleText';
import { ROOT } from './services';

const common = { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } } as const;
type Common = { json?: boolean; verbose?: boolean };

/** `--name value` flags for each of a read's query parameters. */
const flagsOf = (names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])) as Record<string, { type: 'string' }>;

/** The flags as the read's query: a wrong one is refused with what the page would say of its parameter. */
function queryFrom<S extends z.ZodType>(
  read: QueryRead<S, unknown>,
  values: Record<string, unknown>,
  names: readonly string[],
) {
  const params = Object.fromEntries(names.map((name) => [name, values[name] as string | undefined]));
  const parsed = parseQueryOf(read.query, params);
  if (!parsed.ok) throw new UsageError(`invalid options: ${parsed.problems.map((p) => `--${p}`).join('; ')}`);
  return parsed.value;
}

/**
 * Runs a read against the target and prints its data (text or JSON). A refusal is printed on stderr; `refused` is
 * its exit code (2 for a name that does not exist, which is wrong usage; 1 for a run or job that is not there).
 */
async function answer<T>(
  values: Common,
  read: (deps: ConsoleDeps) => Promise<Loaded<T>>,
  text: (data: T, now: Date) => string[],
  exitCode: (data: T) => number = () => 0,
  refused = 2,
): Promise<number> {
  return withTarget(values, async (deps) => {
    const loaded = await read(deps);
    if (!loaded.ok) {
      console.error([loaded.error, ...(loaded.problems ?? [])].join('\n  '));
      return refused;
    }
    if (values.json) say(JSON.stringify(loaded.data, null, 2));
    else for (const line of text(loaded.data, deps.now())) say(line);
    return exitCode(loaded.data);
  });
}

/** Runs one of the console's actions (the same use case as its button) and says what happened; 1 when refused. */
function act(values: Common, action: (deps: ConsoleDeps) => Promise<ActionResult>): Promise<number> {
  return withTarget(values, async (deps) => {
    const { ok, status: _status, ...rest } = await action(deps);
    if (values.json) say(JSON.stringify(rest, null, 2));
    else if (ok) say(String(rest.message));
    if (!ok) console.error(String(rest.error));
    return ok ? 0 : 1;
  });
}

/** The target's deps for `body`; the first line says where the answer comes from (on stderr with --json). */
async function withTarget(values: Common, body: (deps: ConsoleDeps) => Promise<number>): Promise<number> {
  const target = await consoleTarget(values.verbose ?? false);
  try {
    (values.json ? (line: string) => process.stderr.write(`${line}\n`) : say)(`halo-bridge: ${target.where}`);
    return await body(target.deps);
  } finally {
    await target.stop();
  }
}

const MAIL_FLAGS = ['mailbox', 'q', 'from', 'ticket', 'outcome', 'since', 'until', 'limit', 'after'] as const;
const JOB_FLAGS = ['status', 'script', 'ticket', 'worker', 'limit', 'after'] as const;
const kinds = SYNCS.map((s) => s.kind).join('|');

export const consoleCommands: CliCommand[] = [
  {
    name: 'status',
    usage: `status [<runId> [--kind ${kinds}]] [--json]`,
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, { ...common, kind: { type: 'string' } });
      const [runId] = positionals;
      if (runId) {
        const chosen = values.kind ? [values.kind] : SYNCS.map((s) => s.kind);
        return answer(
          values,
          (deps) =>
            firstFound(
              chosen.map((kind) => () => consoleReads.run(deps, kind, runId)),
              `no run ${runId} of ${values.kind ?? `any sync (${kinds})`}`,
            ),
          runLines,
          (run) => (run.status === 'succeeded' || run.status === 'running' ? 0 : 1),
          1,
        );
      }
      // The overview's "next run" of each flow comes from the timer functions the app registers.
      const timers = timersOf(await loadFunctionFiles(join(ROOT, 'functions')));
      return answer(
        values,
        (deps) => consoleReads.overview(deps, timers),
        overviewLines,
        (view) => (needsAPerson(view) ? 1 : 0),
      );
    },
  },
  {
    name: 'runs',
    usage: `runs [--kind ${kinds}] [--limit <n>] [--json]`,
    run: async (argv) => {
      const names = ['kind', 'limit'];
      const { values } = parseCommandArgs(argv, { ...common, ...flagsOf(names) });
      const query = queryFrom(consoleReads.runs, values, names);
      return answer(values, (deps) => consoleReads.runs.run(deps, query), runsLines);
    },
  },
  {
    name: 'jobs',
    usage: `jobs [<jobId>] [${JOB_FLAGS.map((f) => `--${f} <${f}>`).join('] [')}] [--output] [--json]`,
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, {
        ...common,
        ...flagsOf(JOB_FLAGS),
        output: { type: 'boolean', default: false },
      });
      const [jobId] = positionals;
      if (jobId)
        return answer(
          values,
          (deps) => consoleReads.job(deps, jobId),
          jobLines,
          () => 0,
          1,
        );
      const query = queryFrom(consoleReads.jobs, values, JOB_FLAGS);
      return answer(
        values,
        (deps) => consoleReads.jobs.run(deps, query),
        (view, now) => jobsLines(view, now, values.output ?? false),
      );
    },
  },
  {
    name: 'mail-log',
    usage: `mail-log [${MAIL_FLAGS.map((f) => `--${f} <${f}>`).join('] [')}] [--json]`,
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, { ...common, ...flagsOf(MAIL_FLAGS) });
      const query = queryFrom(consoleReads.mail, values, MAIL_FLAGS);
      return answer(values, (deps) => consoleReads.mail.run(deps, query), mailLines);
    },
  },
  {
    name: 'failures',
    usage: 'failures [--queue <queue>] [--status open|replayed|dismissed] [--limit <n>] [--json]',
    run: async (argv) => {
      const names = ['queue', 'status', 'limit'];
      const { values } = parseCommandArgs(argv, { ...common, ...flagsOf(names) });
      const query = queryFrom(consoleReads.failures, values, names);
      return answer(
        values,
        (deps) => consoleReads.failures.run(deps, query),
        failuresLines,
        (view) => (view.failures.some((f) => f.status === 'open') ? 1 : 0),
      );
    },
  },
  {
    name: 'replay',
    usage: 'replay <queue> <failureId> [--json]',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, common);
      const [queue, id] = positionals;
      if (!queue || !id) throw new UsageError('replay needs the queue and the failure id (see `failures`)');
      return act(values, (deps) => replayFailure(deps, queue, id));
    },
  },
  {
    name: 'dismiss',
    usage: 'dismiss <queue> <failureId> [--note <text>] [--json]',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, { ...common, note: { type: 'string' } });
      const [queue, id] = positionals;
      if (!queue || !id) throw new UsageError('dismiss needs the queue and the failure id (see `failures`)');
      return act(values, (deps) => dismissFailure(deps, queue, id, values.note));
    },
  },
];

/** A flow failed or warns, a failure waits, or the app does not run on the config that was pushed. */
function needsAPerson(view: OverviewView): boolean {
  const flows = view.flows.some((f) => f.health === 'failed' || f.health === 'warning');
  return flows || view.failures.total > 0 || view.config.state !== 'ok';
}

/** The first read that finds something (a run id names a run of one sync), else a refusal that says so. */
async function firstFound<T>(reads: readonly (() => Promise<Loaded<T>>)[], missing: string): Promise<Loaded<T>> {
  for (const read of reads) {
    const loaded = await read();
    if (loaded.ok) return loaded;
  }
  return { ok: false, status: 404, error: missing };
}
