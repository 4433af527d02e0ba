import type { z } from 'zod';
import type { ConsoleDeps } from './deps';
import { parseQuery } from './query';
import { type BudgetView, budgetView } from './views/budget';
import { type FailuresView, failuresQuerySchema, failuresView } from './views/failures';
import { type JobDetail, type JobsView, jobDetail, jobsQuerySchema, jobsView } from './views/jobs';
import { type MailView, mailQuerySchema, mailView } from './views/mail';
import { NotFoundError } from './views/notFound';
import { type OverviewView, overviewView, type TimerInfo } from './views/overview';
import { type RunDetail, type RunsView, runDetail, runsQuerySchema, runsView } from './views/syncs';

// The console's reads as use cases: the HTTP endpoints (functions/console.ts) and the CLI (dev/cli/console.ts)
// call the same ones with the same query schema, and get the same data or the same refusal.

/** What a read returns: the data, or a refusal that names what was wrong. */
export type Loaded<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly status: 400 | 404; readonly error: string; readonly problems?: readonly string[] };

/** A read that takes query parameters (`?mailbox=…` on the page, `--mailbox …` on the CLI). */
export interface QueryRead<S extends z.ZodType, T> {
  readonly query: S;
  run(deps: ConsoleDeps, query: z.output<S>): Promise<Loaded<T>>;
}

/** Parses the parameters with the read's schema (a 400 naming each bad one), then runs it. */
export function parseQueryOf<S extends z.ZodType>(
  schema: S,
  params: Record<string, string | undefined>,
): { ok: true; value: z.output<S> } | { ok: false; status: 400; error: string; problems: string[] } {
  const parsed = parseQuery(schema, params);
  return parsed.ok ? parsed : { ok: false, status: 400, error: 'invalid query', problems: parsed.problems };
}

function queryRead<S extends z.ZodType, T>(
  query: S,
  view: (deps: ConsoleDeps, query: z.output<S>) => Promise<T>,
): QueryRead<S, T> {
  return { query, run: (deps, parsed) => found(() => view(deps, parsed)) };
}

/** A name that does not exist (a mailbox, a queue, a sync) is a 404 that says which exist. */
async function found<T>(load: () => Promise<T | undefined>, missing = 'not found'): Promise<Loaded<T>> {
  try {
    const data = await load();
    return data === undefined ? { ok: false, status: 404, error: missing } : { ok: true, data };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, status: 404, error: error.message };
    throw error;
  }
}

/** The timer functions among the app's registered functions, for each flow's "next run". */
export function timersOf(functions: readonly { name: string; kind: string; schedule?: unknown }[]): TimerInfo[] {
  return functions.flatMap((fn) =>
    fn.kind === 'timer' && typeof fn.schedule === 'string' ? [{ name: fn.name, schedule: fn.schedule }] : [],
  );
}

export const consoleReads = {
  mail: queryRead(mailQuerySchema, mailView),
  jobs: queryRead(jobsQuerySchema, jobsView),
  runs: queryRead(runsQuerySchema, runsView),
  failures: queryRead(failuresQuerySchema, failuresView),
  overview: (deps: ConsoleDeps, timers: readonly TimerInfo[]): Promise<Loaded<OverviewView>> =>
    found(() => overviewView(deps, timers)),
  job: (deps: ConsoleDeps, jobId: string): Promise<Loaded<JobDetail>> =>
    found(() => jobDetail(deps, jobId), `no job ${jobId}`),
  run: (deps: ConsoleDeps, kind: string, runId: string): Promise<Loaded<RunDetail>> =>
    found(() => runDetail(deps, kind, runId), `no ${kind} run ${runId}`),
  budget: (deps: ConsoleDeps): Promise<Loaded<BudgetView>> => found(() => budgetView(deps.budget, deps.now())),
};

export type { FailuresView, JobsView, MailView, RunsView };
