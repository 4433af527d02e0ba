import type { Timer } from '@azure/functions';
import { type CompiledSchedule, NEVER, timerArgument } from './schedule';

/** The timer functions a runner uses; tests pass their own to fire schedules without waiting. */
export interface TimerApi {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimerApi = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Long waits are split so that a sleeping laptop or a changed clock is noticed within the hour. */
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Fires one timer function on its schedule. Like the host's singleton timer, runs never overlap: the next
 * occurrence is planned when a run has finished.
 */
export class TimerSchedule {
  private handle: unknown;
  private stopped = false;
  private last = NEVER;
  private nextAt: Date | undefined;

  constructor(
    private readonly schedule: CompiledSchedule,
    private readonly fire: (timer: Timer) => Promise<void>,
    private readonly clock: () => Date,
    private readonly timers: TimerApi,
  ) {}

  start(): void {
    this.plan(this.clock());
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** The Timer for a run outside the schedule (runOnStartup, runTimer). */
  manualTimer(): Timer {
    const now = this.clock();
    return timerArgument({ scheduled: now, now, last: this.last, next: this.nextAt ?? this.schedule.next(now) });
  }

  /** The next planned occurrence, for logs and tests. */
  nextOccurrence(): Date | undefined {
    return this.nextAt;
  }

  private plan(after: Date): void {
    if (this.stopped) return;
    this.nextAt = this.schedule.next(after);
    if (!this.nextAt) return;
    this.arm();
  }

  private arm(): void {
    const due = this.nextAt!;
    const wait = Math.max(0, Math.min(due.getTime() - this.clock().getTime(), MAX_WAIT_MS));
    this.handle = this.timers.setTimeout(() => void this.tick(due), wait);
  }

  private async tick(scheduled: Date): Promise<void> {
    this.handle = undefined;
    if (this.stopped) return;
    const now = this.clock();
    if (now.getTime() < scheduled.getTime()) {
      this.arm();
      return;
    }
    const next = this.schedule.next(now.getTime() > scheduled.getTime() ? now : scheduled);
    await this.fire(timerArgument({ scheduled, now, last: this.last, next }));
    this.last = scheduled.toISOString();
    const after = this.clock();
    this.plan(after.getTime() > scheduled.getTime() ? after : scheduled);
  }
}
