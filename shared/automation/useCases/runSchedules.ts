import type { Container } from '../../app/container';
import { requiredReads, resolveParameters, type TicketData } from '../parameters';
import { dueSchedules, scheduleRunRequest } from '../schedules';
import { type EnqueueOutcome, enqueueJob, failRunRequest } from './enqueueJob';
import { CHECKPOINTS } from './scopes';
import { readTicketData } from './ticketData';

export interface SchedulesOutcome {
  readonly due: readonly string[];
  readonly jobs: readonly EnqueueOutcome[];
  readonly problems: readonly string[];
}

/**
 * Runs the schedules due now (at most one run per schedule, for its latest occurrence; missed ones are counted,
 * not run). Last runs live in the checkpoints store, saved after the jobs are queued: a crash in between re-runs
 * the same occurrence, whose job id is the same, so it is queued once.
 */
export async function runDueSchedules(deps: Container): Promise<SchedulesOutcome> {
  const { checkpoints } = deps.stores;
  const stored = await checkpoints.get(CHECKPOINTS.scope, CHECKPOINTS.scheduleLastRuns);
  const lastRuns = parseLastRuns(stored?.value);
  const due = dueSchedules(deps.config.schedules, lastRuns.values, deps.now());
  const problems = [...lastRuns.problems, ...due.problems];
  const jobs: EnqueueOutcome[] = [];
  for (const run of due.runs) {
    deps.log.info('schedule due', { note: run.note });
    const mapped = scheduleRunRequest(run, deps.config.scripts);
    if (!mapped.ok) {
      problems.push(mapped.reason);
      continue;
    }
    const { request } = mapped;
    const mappings = request.script.parameters;
    const data: TicketData =
      request.ticketId !== undefined && mappings.some((m) => 'from' in m)
        ? await readTicketData(deps.halo, request.ticketId, requiredReads(mappings))
        : { ticket: {} };
    const resolved = resolveParameters(mappings, data);
    jobs.push(
      resolved.ok
        ? await enqueueJob(deps, request, resolved.parameters)
        : await failRunRequest(deps, request, resolved.problems),
    );
  }
  const names = new Set(deps.config.schedules.map((s) => s.name));
  const keep = Object.fromEntries(Object.entries(due.lastRuns).filter(([name]) => names.has(name)));
  await checkpoints.put(CHECKPOINTS.scope, CHECKPOINTS.scheduleLastRuns, JSON.stringify(keep));
  if (problems.length > 0) deps.log.warn('schedule problems', { problems });
  return { due: due.runs.map((r) => r.note), jobs, problems };
}

function parseLastRuns(text: string | undefined): { values: Record<string, string>; problems: string[] } {
  if (text === undefined) return { values: {}, problems: [] };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
      return { values: Object.fromEntries(entries), problems: [] };
    }
  } catch {
    // fall through: reset below
  }
  return { values: {}, problems: ['stored schedule last runs were unreadable; every schedule starts again from now'] };
}
