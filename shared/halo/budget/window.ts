/**
 * The Halo budget as data, and the pure rules over it. Every instance and the CLI share one `BudgetState` (a row in
 * Table storage, changed under its ETag); these functions decide, from it and the clock, whether a lease of
 * requests may be granted now, in which lane, and until when to wait otherwise.
 */

/** Interactive work (a mail becoming a ticket, a script result, a webhook's reads) goes before bulk syncs. */
export type HaloLane = 'interactive' | 'bulk';

/**
 * One lease: `count` requests granted at `at` (ms) to `lane`, usable until `at + leaseTtlMs`. Its holder closes
 * it with its next lease: `count` becomes what it really sent and `end` its last send, so what it did not use
 * goes back and nothing counts longer than it must. An open lease counts as if used until its end.
 */
export interface Grant {
  readonly at: number;
  readonly end: number;
  readonly lane: HaloLane;
  readonly count: number;
  /** Which gate holds it (`<gate>:<n>`), while it is open. */
  readonly owner?: string;
}

export interface BudgetState {
  /** Leases still inside the rolling window (older ones are pruned on every change). */
  readonly grants: readonly Grant[];
  /** After a 429: nobody sends before this (ms). */
  readonly blockedUntil: number;
  /** Interactive work was seen (granted or waiting) recently: bulk keeps off the interactive reserve until then. */
  readonly interactiveUntil: number;
}

export const EMPTY_BUDGET: BudgetState = { grants: [], blockedUntil: 0, interactiveUntil: 0 };

export interface BudgetRules {
  /** Halo's rolling window (ms). */
  readonly windowMs: number;
  /** Our share of Halo's limit: requests per window for this deployment (e.g. 80% of 300). */
  readonly budget: number;
  /** Requests per window that bulk work leaves free while interactive work is active. */
  readonly interactiveReserve: number;
  /** A lease's requests must be sent within this long; it counts as used until `at + leaseTtlMs + windowMs`. */
  readonly leaseTtlMs: number;
  /** How long interactive work counts as active after it was last seen. */
  readonly interactiveHoldMs: number;
  /** Bulk pacing: in any `windowMs / paceSlices`, bulk gets at most `2 * budget / paceSlices`. */
  readonly paceSlices: number;
  /** The most requests one lease grants. */
  readonly maxLease: number;
}

/** Rules for Halo's `limit` per `windowMs` at `share` of it (the rest is left to the Integrator and other tools). */
export function budgetRules(options: {
  limit: number;
  windowMs: number;
  share: number;
  interactiveReserveShare: number;
  maxLease: number;
}): BudgetRules {
  const budget = Math.max(1, Math.floor(options.limit * options.share));
  return {
    windowMs: options.windowMs,
    budget,
    interactiveReserve: Math.min(budget - 1, Math.max(1, Math.round(budget * options.interactiveReserveShare))),
    // A lease lives 1/30 of the window (10 s on hosted Halo), at least long enough to outlast a storage round trip;
    // its holder closes it with its next lease, so the unused part goes back.
    leaseTtlMs: Math.min(10_000, Math.max(250, Math.round(options.windowMs / 30))),
    interactiveHoldMs: options.windowMs,
    paceSlices: 10,
    maxLease: Math.max(1, Math.min(options.maxLease, budget)),
  };
}

const expiresAt = (grant: Grant, rules: BudgetRules) => grant.end + rules.windowMs;

/** Requests that may still count in Halo's window at `now` (conservatively: as if sent at the lease's end). */
export function usedAt(state: BudgetState, rules: BudgetRules, now: number): number {
  return state.grants.reduce((n, g) => (expiresAt(g, rules) > now ? n + g.count : n), 0);
}

export function pruned(state: BudgetState, rules: BudgetRules, now: number): BudgetState {
  return { ...state, grants: state.grants.filter((g) => expiresAt(g, rules) > now) };
}

/** What the holder of an open lease really did with it (sent `used` requests, the last at `lastUse`). */
export interface LeaseClose {
  readonly owner: string;
  readonly used: number;
  readonly lastUse: number;
}

/** Closes a lease: its count becomes what was sent, its end the last send (a lease never used disappears). */
export function closeLease(state: BudgetState, close: LeaseClose): BudgetState {
  const grants: Grant[] = [];
  for (const g of state.grants) {
    if (g.owner !== close.owner) grants.push(g);
    else if (close.used > 0)
      grants.push({ at: g.at, end: Math.max(g.at, close.lastUse), lane: g.lane, count: close.used });
  }
  return { ...state, grants };
}

export type LeaseDecision =
  | { readonly kind: 'grant'; readonly count: number; readonly next: BudgetState }
  /** Nothing now; ask again at `until` (`next` records interactive demand, so bulk holds back meanwhile). */
  | { readonly kind: 'wait'; readonly until: number; readonly reason: string; readonly next: BudgetState };

/**
 * May `lane` have up to `want` requests now? Interactive work may use the whole budget; bulk work is paced (at most
 * twice its average rate in any tenth of the window) and, while interactive work is active, leaves the interactive
 * reserve free, so that an interactive request waits at most for the next lease to leave the window.
 */
export function decideLease(
  state: BudgetState,
  rules: BudgetRules,
  request: { lane: HaloLane; want: number; now: number; owner?: string; close?: LeaseClose },
): LeaseDecision {
  const { lane, now } = request;
  let next = pruned(request.close ? closeLease(state, request.close) : state, rules, now);
  if (lane === 'interactive') {
    next = { ...next, interactiveUntil: Math.max(next.interactiveUntil, now + rules.interactiveHoldMs) };
  }
  if (now < next.blockedUntil) {
    return { kind: 'wait', until: next.blockedUntil, reason: 'Halo answered 429: waiting out its window', next };
  }
  const used = usedAt(next, rules, now);
  let available = rules.budget - used;
  const waits: number[] = next.grants.map((g) => expiresAt(g, rules));
  if (lane === 'bulk') {
    if (now < next.interactiveUntil) available -= rules.interactiveReserve;
    const sliceMs = rules.windowMs / rules.paceSlices;
    const recent = next.grants.filter((g) => g.lane === 'bulk' && g.at > now - sliceMs);
    const paceCap = Math.max(1, Math.ceil((2 * rules.budget) / rules.paceSlices));
    available = Math.min(available, paceCap - recent.reduce((n, g) => n + g.count, 0));
    waits.push(...recent.map((g) => g.at + sliceMs));
  }
  if (available >= 1) {
    const count = Math.max(1, Math.min(request.want, available, rules.maxLease));
    const grant: Grant = {
      at: now,
      end: now + rules.leaseTtlMs,
      lane,
      count,
      ...(request.owner ? { owner: request.owner } : {}),
    };
    return { kind: 'grant', count, next: { ...next, grants: [...next.grants, grant] } };
  }
  const later = waits.filter((t) => t > now);
  const until = later.length > 0 ? Math.min(...later) : now + rules.leaseTtlMs;
  const reason =
    lane === 'bulk' && now < next.interactiveUntil
      ? 'budget in use; bulk leaves the interactive reserve free'
      : 'budget in use for this window';
  return { kind: 'wait', until, reason, next };
}

/**
 * After a 429 (Halo's window is full, whoever filled it): everyone waits until our oldest lease in the window
 * leaves it, or a whole window when we hold none (the requests that filled it were not ours). A Retry-After, which
 * no source shows Halo sending, would be taken as it is.
 */
export function afterRateLimited(
  state: BudgetState,
  rules: BudgetRules,
  now: number,
  retryAfterMs?: number,
): BudgetState {
  const next = pruned(state, rules, now);
  if (retryAfterMs !== undefined) return { ...next, blockedUntil: Math.max(next.blockedUntil, now + retryAfterMs) };
  const inWindow = next.grants.filter((g) => expiresAt(g, rules) > now);
  const oldest = inWindow.length > 0 ? Math.min(...inWindow.map((g) => expiresAt(g, rules))) : now + rules.windowMs;
  const until = Math.min(now + rules.windowMs, Math.max(oldest, now + rules.leaseTtlMs));
  return { ...next, blockedUntil: Math.max(next.blockedUntil, until) };
}
