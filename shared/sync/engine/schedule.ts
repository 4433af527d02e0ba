import { Cron } from 'croner';
import type { Container } from '../../app/container';
import { ConcurrencyError } from '../../storage';
import type { SyncDefinition } from './definition';
import { checkpointKeys, dedupeScopes } from './keys';
import { type StartDeps, type StartResult, startRun } from './startRun';

/** How often the timer function checks every sync's schedule (Functions timers need a static schedule). */
export const SCHEDULE_CHECK_NCRONTAB = '0 */5 * * * *';

/** A start attempt older than this that never finished (its instance died) no longer stops the next tick's. */
const ATTEMPT_STALE_MS = 10 * 60_000;

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
  /** Due but not started (an apply run holds the lease, the sync is not configured, or the start failed): the next tick tries again. */
  | { started: false; reason: 'busy' | 'notConfigured' | 'failed'; scheduledFor: string; result: StartResult }
  | { started: true; scheduledFor: string; result: StartResult & { ok: true } };

type ScheduleDeps = StartDeps & Pick<Container, 'stores'>;

/**
 * The timer's check for one sync: a run starts when its schedule has an occurrence since the last one started.
 * The checkpoint only moves on once a run has started, so a start that failed, or was refused because an apply
 * run holds the lease, is tried again at the next tick until it starts. One attempt at a time across instances (a
 * dedupe claim on the occurrence, released after the attempt; the checkpoint is read again once it is held). The
 * first check only records "now": deploying never starts a sync by itself.
 */
export async function startScheduledRun(deps: ScheduleDeps, sync: SyncDefinition): Promise<ScheduledStart> {
  const settings = sync.settings(deps.config);
  if (!settings.enabled) return { started: false, reason: 'disabled' };
  const { scope, key } = checkpointKeys(sync.storageName).schedule;
  const now = deps.now();
  const checkpoint = await deps.stores.checkpoints.get(scope, key);
  const last = checkpoint ? new Date(checkpoint.value) : undefined;
  if (!last || Number.isNaN(last.getTime())) {
    try {
      await deps.stores.checkpoints.put(scope, key, now.toISOString(), checkpoint?.etag ?? null);
      return { started: false, reason: 'baseline' };
    } catch (error) {
      if (error instanceof ConcurrencyError) return { started: false, reason: 'takenByAnotherInstance' };
      throw error;
    }
  }
  const due = dueOccurrence(settings.schedule, last, now);
  if (!due.due) return { started: false, reason: 'notDue' };
  const attempts = dedupeScopes(sync.storageName).schedule;
  const claim = await deps.stores.dedupe.claim(attempts, due.scheduledFor, {}, { staleAfterMs: ATTEMPT_STALE_MS });
  if (!claim.claimed) return { started: false, reason: 'takenByAnotherInstance' };
  try {
    // Another instance may have started this occurrence and moved the checkpoint since we read it.
    const current = await deps.stores.checkpoints.get(scope, key);
    if (current?.value !== checkpoint?.value) return { started: false, reason: 'takenByAnotherInstance' };
    const result = await startRun(deps, sync, { trigger: 'schedule' });
    if (!result.ok) {
      const reason = result.reason === 'busy' || result.reason === 'notConfigured' ? result.reason : 'failed';
      return { started: false, reason, scheduledFor: due.scheduledFor, result };
    }
    try {
      await deps.stores.checkpoints.put(scope, key, due.scheduledFor, current?.etag ?? null);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    return { started: true, scheduledFor: due.scheduledFor, result };
  } finally {
    // The checkpoint, not the claim, says what has started: the claim only keeps two attempts apart.
    await deps.stores.dedupe.release(attempts, due.scheduledFor);
  }
}

/** A sync's schedule as the status shows it: the cron, the last occurrence started, one waiting to start. */
export interface ScheduleState {
  cron: string;
  /** The last occurrence a run was started for (or the baseline recorded by the first check). */
  lastStarted?: string;
  /** An occurrence that has come due and has not started yet (it is tried at every check until it starts). */
  pending?: string;
  next?: string;
}

export async function readScheduleState(
  deps: Pick<Container, 'stores' | 'now' | 'config'>,
  sync: SyncDefinition,
): Promise<ScheduleState> {
  const cron = sync.settings(deps.config).schedule;
  const { scope, key } = checkpointKeys(sync.storageName).schedule;
  const checkpoint = await deps.stores.checkpoints.get(scope, key);
  const now = deps.now();
  const next = new Cron(cron, { paused: true, mode: '6-part', timezone: 'UTC' }).nextRun(now);
  const state: ScheduleState = { cron, ...(next ? { next: next.toISOString() } : {}) };
  const last = checkpoint ? new Date(checkpoint.value) : undefined;
  if (!last || Number.isNaN(last.getTime())) return state;
  const due = dueOccurrence(cron, last, now);
  return { ...state, lastStarted: last.toISOString(), ...(due.due ? { pending: due.scheduledFor } : {}) };
}

/**
 * The timer: checks every sync's schedule, one after the other, so one sync's failure never keeps another from
 * starting. Says the same as HTTP when an apply run holds the lease. Throws at the end when a start failed, so
 * the invocation shows failed (the next tick tries again).
 */
export async function startScheduledRuns(
  deps: ScheduleDeps,
  syncs: readonly SyncDefinition[],
): Promise<Record<string, ScheduledStart>> {
  const outcomes: Record<string, ScheduledStart> = {};
  const failures: string[] = [];
  for (const sync of syncs) {
    const log = deps.log.child({ flow: sync.storageName, trigger: 'schedule' });
    try {
      const outcome = await startScheduledRun(deps, sync);
      outcomes[sync.kind] = outcome;
      if (outcome.started || !('result' in outcome) || outcome.result.ok) continue;
      if (outcome.reason === 'busy' || outcome.reason === 'notConfigured') {
        log.warn(`scheduled ${sync.title} not started, tried again at the next check: ${outcome.result.message}`, {
          scheduledFor: outcome.scheduledFor,
          ...(outcome.result.reason === 'busy' ? { runningRunId: outcome.result.runningRunId } : {}),
        });
        continue;
      }
      failures.push(`${sync.title}: ${outcome.result.message}`);
    } catch (error) {
      failures.push(`${sync.title}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0)
    throw new Error(`scheduled sync did not start (tried again at the next check): ${failures.join('; ')}`);
  return outcomes;
}
