import { Cron } from 'croner';
import type { ScheduleConfig, ScriptConfig } from '../config/integration/scripts';
import type { ScriptRunRequest } from './types';

export interface ScheduleRun {
  readonly schedule: ScheduleConfig;
  /** The occurrence this run stands for: the latest one at or before `now`. */
  readonly scheduledFor: string;
  /** Earlier occurrences since the last run that are skipped, not backfilled (counted up to MISSED_COUNT_LIMIT). */
  readonly missed: number;
  /** Log line, e.g. `nightly-leaver due for 2024-05-01T02:00:00.000Z (missed 3)`. */
  readonly note: string;
}

export interface DueSchedulesResult {
  readonly runs: ScheduleRun[];
  /** What to store as lastRuns after this call: the run occurrences, and `now` for schedules seen the first time. */
  readonly lastRuns: Record<string, string>;
  readonly problems: string[];
}

export const MISSED_COUNT_LIMIT = 10_000;

/**
 * Which schedules are due at `now`, given when each last ran. At most one run per schedule per call, for the
 * latest occurrence in (lastRun, now]; occurrences missed during downtime are counted, never run. A schedule with
 * no last run is not due: it starts counting from `now`, so deploying never fires every schedule at once.
 */
export function dueSchedules(
  schedules: readonly ScheduleConfig[],
  lastRuns: Readonly<Record<string, string>>,
  now: Date,
): DueSchedulesResult {
  const runs: ScheduleRun[] = [];
  const next: Record<string, string> = { ...lastRuns };
  const problems: string[] = [];
  for (const schedule of schedules) {
    const last = lastRuns[schedule.name];
    const lastTime = last === undefined ? Number.NaN : Date.parse(last);
    if (Number.isNaN(lastTime)) {
      if (last !== undefined) problems.push(`schedule "${schedule.name}": last run "${last}" is not a date; reset`);
      next[schedule.name] = now.toISOString();
      continue;
    }
    let cron: Cron;
    try {
      cron = new Cron(schedule.cron, { paused: true, mode: '6-part', timezone: schedule.timeZone });
    } catch (error) {
      problems.push(`schedule "${schedule.name}": ${(error as Error).message}`);
      continue;
    }
    const latest = cron.previousRuns(1, new Date(now.getTime() + 1))[0];
    if (latest === undefined || latest.getTime() <= lastTime) continue;
    const missed = countBetween(cron, new Date(lastTime), latest);
    const scheduledFor = latest.toISOString();
    const note = `${schedule.name} due for ${scheduledFor}${missed > 0 ? ` (missed ${missed}${missed >= MISSED_COUNT_LIMIT ? '+' : ''})` : ''}`;
    runs.push({ schedule, scheduledFor, missed, note });
    next[schedule.name] = scheduledFor;
  }
  return { runs, lastRuns: next, problems };
}

/** Occurrences strictly between `from` and `to`. */
function countBetween(cron: Cron, from: Date, to: Date): number {
  let count = 0;
  let cursor = cron.nextRun(from);
  while (cursor && cursor.getTime() < to.getTime() && count < MISSED_COUNT_LIMIT) {
    count++;
    cursor = cron.nextRun(cursor);
  }
  return count;
}

/** A due schedule as a run request; the dedupeKey names the occurrence, so two timer instances make one job. */
export function scheduleRunRequest(
  run: ScheduleRun,
  scripts: readonly ScriptConfig[],
): { ok: true; request: ScriptRunRequest } | { ok: false; reason: string } {
  const script = scripts.find((s) => s.name === run.schedule.script);
  if (script === undefined) return { ok: false, reason: `schedule "${run.schedule.name}" names unknown script` };
  const ref = `${run.schedule.name}@${run.scheduledFor}`;
  return {
    ok: true,
    request: {
      script,
      ticketId: run.schedule.ticketId,
      source: { kind: 'schedule', ref },
      dedupeKey: `schedule:${ref}`,
      parameters: run.schedule.parameters,
    },
  };
}
