/**
 * Time for everything that waits or compares times: claims, leases, schedules, subscription and job expiry,
 * backoff. Production uses the system clock; tests use a SimulatedClock and move it, so that a five-minute stale
 * claim or a day's schedule takes no time at all.
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` on this clock. */
  sleep(ms: number): Promise<void>;
  /** A timer on this clock (the local runner's timer triggers use it); `clearTimeout` cancels it. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface PendingTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told: `advance(ms)` (or `set(date)`) moves time forward and fires, in time order,
 * every timer and sleep that falls due on the way, letting the work each one starts run before the next fires.
 * `sleep` and timers never fire on their own.
 */
export class SimulatedClock implements Clock {
  private time: number;
  private timers: PendingTimer[] = [];
  private nextId = 1;

  constructor(start: Date | number | string = '2030-01-01T00:00:00.000Z') {
    this.time = new Date(start).getTime();
    if (Number.isNaN(this.time)) throw new Error(`SimulatedClock: ${String(start)} is not a time`);
  }

  now(): Date {
    return new Date(this.time);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimeout(resolve, ms);
    });
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, due: this.time + Math.max(0, ms), callback };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** How many timers and sleeps are waiting. */
  pending(): number {
    return this.timers.length;
  }

  /** When the next timer or sleep falls due, if any. */
  nextDue(): Date | undefined {
    const next = this.timers[0];
    return next ? new Date(next.due) : undefined;
  }

  /** Moves time forward by `ms`, firing what falls due on the way (see the class comment). */
  async advance(ms: number): Promise<void> {
    if (ms < 0) throw new Error('SimulatedClock: time only moves forward');
    await this.advanceTo(this.time + ms);
  }

  /** Moves time forward to `date` (never back). */
  async set(date: Date | string | number): Promise<void> {
    const target = new Date(date).getTime();
    if (Number.isNaN(target) || target < this.time) throw new Error('SimulatedClock: time only moves forward');
    await this.advanceTo(target);
  }

  private async advanceTo(target: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.due);
      next.callback();
    }
    this.time = target;
    await settle();
  }
}

/** Lets the promise chains and I/O callbacks that are already runnable run (a few turns of the event loop). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
