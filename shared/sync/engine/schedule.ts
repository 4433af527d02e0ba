import { Cron } from 'croner';
import type { Container } from '../../app/container';
import { ConcurrencyError } from '../../storage';
import { SCHEDULE_CHECKPOINT } from './keys';
import { type StartDeps, type StartResult, startTenantSync } from './startRun';

/** How often the timer function checks the configured schedule (Functions timers need a static schedule). */
export const SCHEDULE_CHECK_NCRONTAB = '0 */5 * * * *';

export type Due = { due: false } | { due: true; scheduledFor: string };

/**
 * Pure: whether the six-field NCRONTAB `schedule` (UTC) has an occurrence in (lastHandled, now]. Missed
 * occurrences collapse into one run for the latest of them.
 */
export function dueOccurrence(schedule: string, lastHandled: Date, now: Date): Due {
  const cron = new Cron(schedule, { paused: true, mode: '6-part', timezone: 'UTC' });
  const latest = cron.previousRuns(1, new Date(now.getTime() + 1))[0];
  if (latest === undefined || latest.getTime() <= lastHandled.getTime()) return { due: false };
  return { due: true, scheduledFor: latest.toISOString() };
}

export type ScheduledStart =
  | { started: false; reason: 'disabled' | 'notDue' | 'baseline' | 'takenByAnotherInstance' }
  | { started: true; scheduledFor: string; result: StartResult };

/**
 * The timer's check: a run starts when the configured schedule has a due occurrence since the last one handled
 * (a checkpoint, claimed with its ETag so that two instances start one run). The first check only records "now":
 * deploying never starts a sync by itself.
 */
export async function startScheduledTenantSync(deps: StartDeps & Pick<Container, 'stores'>): Promise<ScheduledStart> {
  if (!deps.config.tenantSync.enabled) return { started: false, reason: 'disabled' };
  const { scope, key } = SCHEDULE_CHECKPOINT;
  const now = deps.now();
  const checkpoint = await deps.stores.checkpoints.get(scope, key);
  const last = checkpoint ? new Date(checkpoint.value) : undefined;
  try {
    if (!last || Number.isNaN(last.getTime())) {
      await deps.stores.checkpoints.put(scope, key, now.toISOString(), checkpoint?.etag ?? null);
      return { started: false, reason: 'baseline' };
    }
    const due = dueOccurrence(deps.config.tenantSync.schedule, last, now);
    if (!due.due) return { started: false, reason: 'notDue' };
    await deps.stores.checkpoints.put(scope, key, due.scheduledFor, checkpoint?.etag ?? null);
    return {
      started: true,
      scheduledFor: due.scheduledFor,
      result: await startTenantSync(deps, { trigger: 'schedule' }),
    };
  } catch (error) {
    if (error instanceof ConcurrencyError) return { started: false, reason: 'takenByAnotherInstance' };
    throw error;
  }
}
