import type { Logger } from '../../runtime/logger';
import type { HaloUsageSample } from '../../storage/tables/haloUsage';
import type { HaloLane } from './window';

/** One minute of one flow's requests from this process (a row of the halousage table). */
export type UsageSample = HaloUsageSample;

export interface UsageSink {
  record(samples: readonly UsageSample[]): Promise<void>;
}

export interface UsageRecorder {
  /** One request sent for `flow` in `lane`; `rateLimited` when Halo answered 429. */
  count(flow: string, lane: HaloLane, rateLimited: boolean): void;
  /** Writes what was counted since the last flush (also done on its own every `flushEveryMs`). */
  flush(): Promise<void>;
}

interface Tally {
  flow: string;
  lane: HaloLane;
  requests: number;
  rateLimited: number;
  dirty: boolean;
}

/**
 * Counts Halo requests per minute and flow in this process and writes them now and then (each process writes its
 * own rows, absolute counts: no read-modify-write, no contention). Flushes never block a request; a failed flush
 * is logged and retried with the next one.
 */
export function createUsageRecorder(options: {
  sink: UsageSink;
  instance: string;
  now: () => number;
  log: Logger;
  flushEveryMs?: number;
}): UsageRecorder {
  const every = options.flushEveryMs ?? 15_000;
  const tallies = new Map<string, Tally & { minute: string }>();
  let lastFlush = options.now();
  let flushing: Promise<void> | undefined;

  const flush = async (): Promise<void> => {
    if (flushing) await flushing;
    const dirty = [...tallies.values()].filter((t) => t.dirty);
    if (dirty.length === 0) return;
    for (const t of dirty) t.dirty = false;
    lastFlush = options.now();
    flushing = options.sink
      .record(
        dirty.map((t) => ({
          minute: t.minute,
          flow: t.flow,
          lane: t.lane,
          instance: options.instance,
          requests: t.requests,
          rateLimited: t.rateLimited,
        })),
      )
      .catch((error) => {
        for (const t of dirty) t.dirty = true;
        options.log.warn('halo usage could not be recorded; trying again later', { error: (error as Error).message });
      })
      .finally(() => {
        flushing = undefined;
      });
    await flushing;
    // Minutes that ended a while ago are complete and written: forget them.
    const keep = new Date(options.now() - 3 * 60_000).toISOString().slice(0, 16);
    for (const [key, t] of tallies) if (t.minute < keep && !t.dirty) tallies.delete(key);
  };

  return {
    count(flow, lane, rateLimited) {
      const minute = new Date(options.now()).toISOString().slice(0, 16);
      const key = `${minute}|${flow}`;
      const tally = tallies.get(key) ?? { minute, flow, lane, requests: 0, rateLimited: 0, dirty: true };
      tally.requests++;
      if (rateLimited) tally.rateLimited++;
      tally.dirty = true;
      tallies.set(key, tally);
      if (options.now() - lastFlush >= every && !flushing) void flush();
    },
    flush,
  };
}
