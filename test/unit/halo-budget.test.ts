import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBudgetGate, memoryLedger } from '../../shared/halo/budget/gate';
import {
  afterRateLimited,
  type BudgetState,
  budgetRules,
  decideLease,
  EMPTY_BUDGET,
  type HaloLane,
  usedAt,
} from '../../shared/halo/budget/window';
import { silentLogger } from '../../shared/runtime/logger';

// Hosted Halo scaled down: 300 per 300 s becomes 30 per 5 s; 80% share → a budget of 24, a reserve of 5.
const rules = budgetRules({ limit: 30, windowMs: 5_000, share: 0.8, interactiveReserveShare: 0.2, maxLease: 5 });

/** Leases as much as `lane` may get at `now`, applying each grant to the state. */
function drain(state: BudgetState, lane: HaloLane, now: number): { state: BudgetState; granted: number } {
  let granted = 0;
  for (;;) {
    const d = decideLease(state, rules, { lane, want: 5, now });
    if (d.kind !== 'grant') return { state: d.next, granted };
    state = d.next;
    granted += d.count;
  }
}

describe('Halo budget rules (pure)', () => {
  it('derives the budget, reserve and lease time from the limit and the share', () => {
    assert.equal(rules.budget, 24);
    assert.equal(rules.interactiveReserve, 5);
    assert.equal(rules.leaseTtlMs, 250);
    const hosted = budgetRules({
      limit: 300,
      windowMs: 300_000,
      share: 0.8,
      interactiveReserveShare: 0.1,
      maxLease: 10,
    });
    assert.deepEqual([hosted.budget, hosted.interactiveReserve, hosted.leaseTtlMs], [240, 24, 10_000]);
  });

  it('interactive work may use the whole budget at once, never more', () => {
    const { state, granted } = drain(EMPTY_BUDGET, 'interactive', 0);
    assert.equal(granted, 24);
    assert.equal(usedAt(state, rules, 0), 24);
    const d = decideLease(state, rules, { lane: 'interactive', want: 1, now: 1_000 });
    assert.equal(d.kind, 'wait');
    // The first lease leaves the window after its lease time plus the window.
    assert.equal(d.kind === 'wait' && d.until, rules.leaseTtlMs + rules.windowMs);
  });

  it('paces bulk work: at most twice its average rate in any tenth of the window', () => {
    const first = drain(EMPTY_BUDGET, 'bulk', 0);
    assert.equal(first.granted, Math.ceil((2 * 24) / 10));
    const later = drain(first.state, 'bulk', 600);
    assert.equal(later.granted, 5, 'the next tenth may lease again');
  });

  it('over a long run, bulk alone uses the whole budget per window, no more', () => {
    let state = EMPTY_BUDGET;
    let total = 0;
    for (let now = 0; now < 20_000; now += 50) {
      const step = drain(state, 'bulk', now);
      state = step.state;
      total += step.granted;
      assert.ok(usedAt(state, rules, now) <= rules.budget);
    }
    // 4 windows; each lease counts a little longer than the window (its lease time).
    assert.ok(total >= 4 * 24 * 0.95 && total <= 5 * 24, String(total));
  });

  it('while interactive work is active, bulk leaves the reserve free, so interactive work does not wait', () => {
    const state = decideLease(EMPTY_BUDGET, rules, { lane: 'interactive', want: 1, now: 0 });
    assert.equal(state.kind, 'grant');
    let s = state.next;
    let bulk = 0;
    for (let now = 0; now < 5_000; now += 100) {
      const step = drain(s, 'bulk', now);
      s = step.state;
      bulk += step.granted;
    }
    assert.equal(bulk, 24 - 1 - 5, 'bulk stopped at budget - reserve');
    const interactive = drain(s, 'interactive', 5_000);
    assert.equal(interactive.granted, 5, 'the reserve is there at once');
  });

  it('an interactive request waiting marks demand, and bulk then holds back the reserve for it', () => {
    const full = drain(EMPTY_BUDGET, 'bulk', 0).state;
    let s = full;
    for (let now = 500; now <= 4_500; now += 500) s = drain(s, 'bulk', now).state;
    assert.equal(usedAt(s, rules, 4_500), 24);
    const waiting = decideLease(s, rules, { lane: 'interactive', want: 1, now: 4_600 });
    assert.equal(waiting.kind, 'wait');
    s = waiting.next;
    // When the first bulk leases leave the window, bulk may not take them back: interactive gets them.
    const freed = 5_000 + rules.leaseTtlMs + 1;
    assert.equal(decideLease(s, rules, { lane: 'bulk', want: 5, now: freed }).kind, 'wait');
    assert.equal(decideLease(s, rules, { lane: 'interactive', want: 1, now: freed }).kind, 'grant');
  });

  it('a lease closed by its holder gives back what it did not send, and counts only until its last send', () => {
    const leased = decideLease(EMPTY_BUDGET, rules, { lane: 'bulk', want: 5, now: 0, owner: 'g:1' });
    assert.equal(leased.kind, 'grant');
    const open = leased.next;
    assert.equal(usedAt(open, rules, 0), 5);
    const closed = decideLease(open, rules, {
      lane: 'bulk',
      want: 1,
      now: 700,
      owner: 'g:2',
      close: { owner: 'g:1', used: 2, lastUse: 40 },
    });
    assert.equal(closed.kind, 'grant');
    assert.equal(usedAt(closed.next, rules, 700), 3, 'two sent by the first lease, one granted now');
    assert.equal(usedAt(closed.next, rules, 40 + rules.windowMs + 1), 1, 'the first lease ends at its last send');
  });

  it('after a 429 everyone waits until our oldest lease leaves the window, or a whole window without one', () => {
    const s = drain(EMPTY_BUDGET, 'interactive', 1_000).state;
    const blocked = afterRateLimited(s, rules, 2_000);
    assert.equal(blocked.blockedUntil, 1_000 + rules.leaseTtlMs + rules.windowMs);
    const d = decideLease(blocked, rules, { lane: 'interactive', want: 1, now: 3_000 });
    assert.equal(d.kind, 'wait');
    assert.match(d.kind === 'wait' ? d.reason : '', /429/);
    assert.equal(afterRateLimited(EMPTY_BUDGET, rules, 2_000).blockedUntil, 2_000 + rules.windowMs);
  });
});

/** A clock that sleeping moves forward (no real waiting). */
function fakeClock(start: number) {
  const clock = {
    at: start,
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.at += ms;
    },
  };
  return clock;
}

describe('Halo budget gate', () => {
  it('leases as many requests as callers wait for: one ledger write for a burst', async () => {
    const clock = fakeClock(0);
    const gate = createBudgetGate({
      ledger: memoryLedger(),
      rules,
      now: clock.now,
      sleep: clock.sleep,
      log: silentLogger,
    });
    await Promise.all(Array.from({ length: 5 }, () => gate.acquire('interactive')));
    assert.deepEqual(
      { leases: gate.stats().leases, granted: gate.stats().granted },
      { leases: 1, granted: 5 },
      'one lease for the five callers that arrived together',
    );
  });

  it('two gates on one ledger never grant more than the budget in a window, and the 24th+ caller waits', async () => {
    const clock = fakeClock(0);
    const ledger = memoryLedger();
    const gates = [1, 2].map(() =>
      createBudgetGate({ ledger, rules, now: clock.now, sleep: clock.sleep, log: silentLogger }),
    );
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await gates[i % 2]!.acquire('interactive');
        sentAt.push(clock.at);
      }),
    );
    assert.equal(sentAt.length, 40);
    const firstWindow = sentAt.filter((t) => t < rules.windowMs);
    assert.ok(firstWindow.length <= 24, `${firstWindow.length} in the first window`);
    for (const t of sentAt) {
      const inWindow = sentAt.filter((u) => u > t - rules.windowMs && u <= t).length;
      assert.ok(inWindow <= 24, `${inWindow} sent within one window ending at ${t}`);
    }
  });

  it('a 429 makes every gate on the ledger wait', async () => {
    const clock = fakeClock(10_000);
    const ledger = memoryLedger();
    const [a, b] = [1, 2].map(() =>
      createBudgetGate({ ledger, rules, now: clock.now, sleep: clock.sleep, log: silentLogger }),
    );
    await a!.rateLimited();
    await b!.acquire('bulk');
    assert.ok(clock.at >= 10_000 + rules.windowMs, `b waited until ${clock.at}`);
  });
});
