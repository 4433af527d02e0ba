import { randomUUID } from 'node:crypto';
import type { Logger } from '../../runtime/logger';
import {
  afterRateLimited,
  type BudgetRules,
  type BudgetState,
  decideLease,
  EMPTY_BUDGET,
  type HaloLane,
  type LeaseClose,
} from './window';

/** Where the shared budget lives: one state with a version (an ETag), written only if still at that version. */
export interface BudgetLedger {
  read(): Promise<{ state: BudgetState; version: string | undefined }>;
  /** False when someone else wrote first (read again and decide again). */
  write(state: BudgetState, version: string | undefined): Promise<boolean>;
}

/** A ledger in this process only: for tests, and for a Halo client without shared storage. */
export function memoryLedger(initial: BudgetState = EMPTY_BUDGET): BudgetLedger {
  let state = initial;
  let version = 0;
  return {
    read: async () => ({ state, version: version === 0 ? undefined : String(version) }),
    async write(next, expected) {
      const current = version === 0 ? undefined : String(version);
      if (expected !== current) return false;
      state = next;
      version++;
      return true;
    },
  };
}

export interface BudgetGateStats {
  /** Leases taken from the ledger, and the requests they granted. */
  leases: number;
  granted: number;
  /** Times a caller had to wait for budget. */
  waits: number;
  /** Writes that lost to another instance's (read again). */
  conflicts: number;
  /** Requests granted but never sent (given back when their lease was closed). */
  unused: number;
}

/** Before every Halo request: one request's worth of budget in its lane. */
export interface BudgetGate {
  acquire(lane: HaloLane): Promise<void>;
  /** Halo answered 429: record it for every instance, which then wait out the window (or its Retry-After). */
  rateLimited(retryAfterMs?: number): Promise<void>;
  readonly rules: BudgetRules;
  stats(): BudgetGateStats;
}

interface Pool {
  owner: string;
  granted: number;
  used: number;
  lastUse: number;
  expires: number;
}

/**
 * Draws from the shared budget in small leases: a caller takes a request from its lane's local pool; an empty
 * pool leases as many requests as callers are waiting, or twice what the last lease used up (at most `maxLease`),
 * with one read and one ETag-guarded write of the ledger, so instances contend once per lease, not once per
 * request. The same write closes the previous lease (what it really sent goes on counting, the rest goes back).
 * When the decision is to wait, the caller sleeps until the earliest change (polling at least every lease time, to
 * see other instances' changes). An interactive caller that waits records its demand, so bulk work holds back.
 */
export function createBudgetGate(options: {
  ledger: BudgetLedger;
  rules: BudgetRules;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  random?: () => number;
}): BudgetGate {
  const { ledger, rules, now, sleep } = options;
  const random = options.random ?? Math.random;
  const gateId = randomUUID().slice(0, 8);
  let leaseNumber = 0;
  const pools: Partial<Record<HaloLane, Pool>> = {};
  const waiting: Record<HaloLane, number> = { interactive: 0, bulk: 0 };
  const leasing: Partial<Record<HaloLane, Promise<void>>> = {};
  const stats: BudgetGateStats = { leases: 0, granted: 0, waits: 0, conflicts: 0, unused: 0 };

  const take = (lane: HaloLane): boolean => {
    const pool = pools[lane];
    const at = now();
    if (!pool || pool.used >= pool.granted || at >= pool.expires) return false;
    pool.used++;
    pool.lastUse = at;
    return true;
  };

  /** How many to ask for: everyone waiting, or twice what the last lease used up (it ran out: demand is high). */
  const wanted = (lane: HaloLane): number => {
    const last = pools[lane];
    const ranOut = last !== undefined && last.used >= last.granted;
    return Math.max(1, waiting[lane], ranOut ? last.granted * 2 : 0);
  };

  const closing = (lane: HaloLane): LeaseClose | undefined => {
    const pool = pools[lane];
    return pool ? { owner: pool.owner, used: pool.used, lastUse: pool.lastUse } : undefined;
  };

  const lease = async (lane: HaloLane): Promise<void> => {
    let waited = false;
    const owner = `${gateId}:${++leaseNumber}`;
    for (;;) {
      const { state, version } = await ledger.read();
      const at = now();
      const close = closing(lane);
      const decision = decideLease(state, rules, {
        lane,
        want: wanted(lane),
        now: at,
        owner,
        ...(close ? { close } : {}),
      });
      if (decision.kind === 'grant') {
        if (!(await ledger.write(decision.next, version))) {
          stats.conflicts++;
          await sleep(Math.floor(random() * 20));
          continue;
        }
        const previous = pools[lane];
        if (previous) stats.unused += previous.granted - previous.used;
        stats.leases++;
        stats.granted += decision.count;
        pools[lane] = { owner, granted: decision.count, used: 0, lastUse: at, expires: at + rules.leaseTtlMs };
        return;
      }
      if (!waited) {
        waited = true;
        stats.waits++;
        options.log.debug('halo budget: waiting', { lane, reason: decision.reason, ms: decision.until - at });
      }
      // Tell the other instances that interactive work waits (once per half hold, not on every poll).
      if (lane === 'interactive' && state.interactiveUntil < at + rules.interactiveHoldMs / 2) {
        if (!(await ledger.write(decision.next, version))) stats.conflicts++;
        else if (close) {
          const pool = pools[lane];
          // The write closed the previous lease: nothing more may be taken from it.
          if (pool) pool.expires = 0;
        }
      }
      await sleep(Math.max(1, Math.min(decision.until - at, rules.leaseTtlMs)));
    }
  };

  return {
    rules,
    async acquire(lane) {
      if (take(lane)) return;
      waiting[lane]++;
      try {
        for (;;) {
          if (take(lane)) return;
          const inFlight = leasing[lane];
          if (inFlight) {
            await inFlight;
            continue;
          }
          const started = lease(lane).finally(() => {
            leasing[lane] = undefined;
          });
          leasing[lane] = started;
          await started;
        }
      } finally {
        waiting[lane]--;
      }
    },
    async rateLimited(retryAfterMs) {
      for (const pool of Object.values(pools)) if (pool) pool.expires = 0;
      for (let attempt = 0; attempt < 5; attempt++) {
        const { state, version } = await ledger.read();
        if (await ledger.write(afterRateLimited(state, rules, now(), retryAfterMs), version)) return;
        stats.conflicts++;
      }
      options.log.warn('halo budget: could not record a 429 after 5 tries (others are writing)');
    },
    stats: () => ({ ...stats }),
  };
}
