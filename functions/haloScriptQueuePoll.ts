import { Cron } from 'croner';
import { defineTimer } from '../shared/app/functions';
import { type PollOutcome, pollScriptQueue } from '../shared/automation/useCases';

/**
 * Polls Halo's PowerShell queue. The timer ticks every minute; `haloScriptQueue.pollSchedule` (default every minute)
 * decides which ticks poll, so the config can slow it down without a redeploy. Webhooks also trigger polls.
 */
export const haloScriptQueuePoll = defineTimer({
  name: 'haloScriptQueuePoll',
  schedule: '0 * * * * *',
  handler: async (_timer, _context, deps) => {
    const { enabled, pollSchedule } = deps.config.haloScriptQueue;
    if (!enabled) return;
    const now = deps.now();
    if (!dueWithinLastMinute(pollSchedule, now)) return;
    const outcome = await pollScriptQueue(deps, now);
    // An empty queue is the usual minute: say so at debug, so the log shows the polls that did something.
    const level = isIdlePoll(outcome) ? 'debug' : 'info';
    deps.log[level]('Halo script queue polled', { outcome });
  },
});

/** A poll that found nothing to do. */
export function isIdlePoll(outcome: PollOutcome): boolean {
  return outcome.kind === 'polled' && outcome.outstanding === 0 && outcome.refused.length === 0;
}

function dueWithinLastMinute(expression: string, now: Date): boolean {
  const latest = new Cron(expression, { paused: true, mode: '6-part' }).previousRuns(1, new Date(now.getTime() + 1))[0];
  return latest !== undefined && now.getTime() - latest.getTime() < 60_000;
}
