import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { createBudgetGate } from '../../shared/halo/budget/gate';
import { budgetHistory } from '../../shared/halo/budget/history';
import { documentLedger } from '../../shared/halo/budget/ledger';
import { createUsageRecorder } from '../../shared/halo/budget/usage';
import { budgetRules, EMPTY_BUDGET } from '../../shared/halo/budget/window';
import { flowOfFunction } from '../../shared/runtime/flow';
import { silentLogger } from '../../shared/runtime/logger';
import { connectionFromString, type StorageConnection } from '../../shared/storage/connection';
import { ensureTables } from '../../shared/storage/tables/ensureTables';
import { haloBudgetStore } from '../../shared/storage/tables/haloBudget';
import { haloUsageStore } from '../../shared/storage/tables/haloUsage';
import { retentionStore } from '../../shared/storage/tables/retention';

describe('the shared Halo budget on Azurite', () => {
  let storage: LocalStorage;
  let connection: StorageConnection;
  before(async () => {
    storage = await startLocalStorage();
    connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
  });
  after(async () => {
    await storage.stop();
  });

  it('keeps one budget row per Halo instance, written only at the version read', async () => {
    const store = haloBudgetStore(connection);
    assert.deepEqual(await store.read('https://acme.halopsa.com|acme'), { json: undefined, etag: undefined });
    assert.equal(await store.write('https://acme.halopsa.com|acme', '{"a":1}', undefined), true);
    assert.equal(await store.write('https://acme.halopsa.com|acme', '{"a":2}', undefined), false, 'exists already');
    const first = await store.read('https://acme.halopsa.com|acme');
    assert.equal(await store.write('https://acme.halopsa.com|acme', '{"a":3}', first.etag), true);
    assert.equal(await store.write('https://acme.halopsa.com|acme', '{"a":4}', first.etag), false, 'stale ETag');
    assert.equal((await store.read('https://acme.halopsa.com|acme')).json, '{"a":3}');
  });

  it('three gates in step on one table row never grant more than the budget in any window', async () => {
    const rules = budgetRules({ limit: 30, windowMs: 1_500, share: 0.8, interactiveReserveShare: 0.2, maxLease: 3 });
    const ledger = () => documentLedger(haloBudgetStore(connection), 'https://shared.example|', silentLogger);
    const gates = [1, 2, 3].map(() =>
      createBudgetGate({
        ledger: ledger(),
        rules,
        now: Date.now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        log: silentLogger,
      }),
    );
    const sentAt: number[] = [];
    const started = Date.now();
    await Promise.all(
      gates.map(async (gate, g) => {
        while (Date.now() - started < 3_500) {
          await gate.acquire(g === 0 ? 'interactive' : 'bulk');
          sentAt.push(Date.now());
        }
      }),
    );
    for (const t of sentAt) {
      const inWindow = sentAt.filter((u) => u > t - rules.windowMs && u <= t).length;
      assert.ok(inWindow <= rules.budget, `${inWindow} requests within one window ending at ${t}`);
    }
    // Over ~2 windows plus the first, most of the budget was used (the rest is lease time and start-up).
    assert.ok(sentAt.length >= 2 * rules.budget, `${sentAt.length} sent`);
    const conflicts = gates.reduce((n, g) => n + g.stats().conflicts, 0);
    const leases = gates.reduce((n, g) => n + g.stats().leases, 0);
    assert.ok(leases < sentAt.length, `${leases} leases for ${sentAt.length} requests: leased in blocks`);
    assert.ok(conflicts >= 0);
  });

  it('treats an unreadable budget row as empty and replaces it', async () => {
    const store = haloBudgetStore(connection);
    await store.write('https://broken.example|', 'not json', undefined);
    const ledger = documentLedger(store, 'https://broken.example|', silentLogger);
    const { state, version } = await ledger.read();
    assert.deepEqual(state, EMPTY_BUDGET);
    assert.equal(await ledger.write({ ...EMPTY_BUDGET, blockedUntil: 5 }, version), true);
    assert.equal((await ledger.read()).state.blockedUntil, 5);
  });

  it('records requests per minute and flow from each instance, and reads them summed, for the console', async () => {
    const usage = haloUsageStore(connection);
    let now = Date.parse('2026-12-01T10:00:10Z');
    const recorders = ['a1', 'b2'].map((instance) =>
      createUsageRecorder({ sink: usage, instance, now: () => now, log: silentLogger, flushEveryMs: 60_000 }),
    );
    recorders[0]!.count('mail', 'interactive', false);
    recorders[0]!.count('mail', 'interactive', true);
    recorders[1]!.count('mail', 'interactive', false);
    recorders[1]!.count('tenant-sync', 'bulk', false);
    now += 60_000;
    recorders[0]!.count('mail', 'interactive', false);
    await Promise.all(recorders.map((r) => r.flush()));
    // A second flush of the same minutes rewrites the same rows (absolute counts), it does not add.
    await Promise.all(recorders.map((r) => r.flush()));
    const history = budgetHistory(usage, { requests: 240, windowSeconds: 300 });
    const minutes = await history.minutes(new Date('2026-12-01T09:00:00Z'), new Date('2026-12-01T11:00:00Z'));
    assert.deepEqual(minutes, [
      { minute: '2026-12-01T10:00:00.000Z', flow: 'mail', requests: 3, throttled: 1 },
      { minute: '2026-12-01T10:00:00.000Z', flow: 'tenant-sync', requests: 1, throttled: 0 },
      { minute: '2026-12-01T10:01:00.000Z', flow: 'mail', requests: 1, throttled: 0 },
    ]);
    const purged = await retentionStore(connection).purgeHaloUsage(new Date('2026-12-01T10:01:00Z'), 100);
    assert.equal(purged.deleted, 3, 'the rows of 10:00 (two instances, two flows)');
    assert.equal((await usage.read({ from: new Date(0), to: new Date('2030-01-01T00:00:00Z') })).length, 1);
  });

  it("names flows after the functions' areas", () => {
    assert.deepEqual(
      [
        'mailboxScan',
        'graphNotifications',
        'haloEvents',
        'jobResults',
        'consoleBudget',
        'tenantSync',
        'tenantSyncPoison',
        'entraSync',
        'syncTimer',
        'stateRetention',
      ].map(flowOfFunction),
      [
        'mail',
        'mail',
        'automation',
        'automation',
        'console',
        'tenant-sync',
        'tenant-sync',
        'entra-sync',
        'sync',
        'stateRetention',
      ],
    );
  });
});
