import type { Timer } from '@azure/functions';
import { Cron } from 'croner';

/** `DateTime.MinValue`, what the host reports as `last` before a timer has ever run. */
export const NEVER = '0001-01-01T00:00:00.000Z';
/** Later than this after its scheduled time, an invocation is past due. */
export const PAST_DUE_TOLERANCE_MS = 1000;

/** Replaces a whole-value `%NAME%` with that app setting, as the host does for `schedule`. */
export function resolveSchedule(schedule: string, settings: Readonly<Record<string, string>>): string {
  const reference = /^%([^%]+)%$/.exec(schedule.trim());
  if (!reference) return schedule.trim();
  const value = settings[reference[1]!];
  if (value === undefined || value.trim() === '') {
    throw new Error(`schedule ${schedule} names app setting ${reference[1]}, which is not set`);
  }
  return value.trim();
}

export interface CompiledSchedule {
  readonly expression: string;
  /** The first occurrence strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined;
}

/**
 * Six-field NCRONTAB (`{second} {minute} {hour} {day} {month} {day-of-week}`) in UTC, the host's default time
 * zone. Day of month and day of week must both match, as NCrontab does it.
 */
export function compileSchedule(expression: string): CompiledSchedule {
  const fields = expression.split(/\s+/).filter(Boolean);
  if (fields.length !== 6) {
    throw new Error(
      `schedule "${expression}" is not a six-field NCRONTAB expression (second minute hour day month weekday)`,
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { mode: '6-part', timezone: 'UTC', domAndDow: true, paused: true });
  } catch (error) {
    throw new Error(`schedule "${expression}" is invalid: ${(error as Error).message}`);
  }
  return {
    expression,
    next: (after) => cron.nextRun(after) ?? undefined,
  };
}

/** The Timer argument: `last` is the previous run's occurrence, `next` the one after this run. */
export function timerArgument(options: { scheduled: Date; now: Date; last: string; next: Date | undefined }): Timer {
  return {
    isPastDue: options.now.getTime() - options.scheduled.getTime() > PAST_DUE_TOLERANCE_MS,
    schedule: { adjustForDST: true },
    scheduleStatus: {
      last: options.last,
      next: options.next?.toISOString() ?? NEVER,
      lastUpdated: options.now.toISOString(),
    },
  };
}
