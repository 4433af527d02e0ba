import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { parseIntegrationConfig } from '../../shared/config/integration';
import type { Logger } from '../../shared/runtime/logger';
import { checkpointStore, connectionFromString, ensureTables } from '../../shared/storage';
import {
  acquireLease,
  holdLease,
  isLeaseActive,
  type LeaseDeps,
  LeaseLostError,
  readLease,
  releaseLease,
  renewLease,
} from '../../shared/sync/engine/lease';

const T0 = Date.parse('2025-03-01T10:00:00Z');
const LEASE_SECONDS = 60;

describe('sync run lease on Azurite (one apply run per sync)', () => {
  let storage: LocalStorage;
  let deps: LeaseDeps & { log: Logger };
  let clock = new Date(T0);
  const at = (seconds: number) => {
    clock = new Date(T0 + seconds * 1000);
  };
  let name = 'lease-a';

  before(async () => {
    storage = await startLocalStorage();
    const connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    const config = parseIntegrationConfig({ syncEngine: { leaseSeconds: LEASE_SECONDS } });
    const checkpoints = checkpointStore(connection, { now: () => clock });
    const log = { warn: () => {}, child: () => log } as unknown as Logger;
    deps = { stores: { checkpoints } as unknown as LeaseDeps['stores'], now: () => clock, config, log };
  });
  after(async () => {
    await storage.stop();
  });

  it('refuses a second run while the first holds it, and lets it go when released', async () => {
    name = 'lease-release';
    at(0);
    const first = await acquireLease(deps, name, 'run-1');
    assert.equal(first.acquired, true);
    at(10);
    const second = await acquireLease(deps, name, 'run-2');
    assert.deepEqual(second.acquired ? 'acquired' : second.holder.runId, 'run-1');
    await releaseLease(deps, name, 'run-2');
    assert.equal((await readLease(deps, name))?.runId, 'run-1', 'a run that does not hold it cannot release it');
    await releaseLease(deps, name, 'run-1');
    const third = await acquireLease(deps, name, 'run-2');
    assert.equal(third.acquired, true);
    assert.equal(third.acquired && third.tookOverFrom, undefined, 'taking a released lease is no takeover');
  });

  it('lets the next run take over a lease that expired, and the old run then knows it lost it', async () => {
    name = 'lease-expiry';
    at(0);
    await acquireLease(deps, name, 'stalled');
    at(LEASE_SECONDS - 1);
    assert.equal((await acquireLease(deps, name, 'next')).acquired, false, 'not before it expires');
    at(LEASE_SECONDS + 1);
    const next = await acquireLease(deps, name, 'next');
    assert.equal(next.acquired, true);
    assert.equal(next.acquired && next.tookOverFrom?.runId, 'stalled');
    const renewed = await renewLease(deps, name, 'stalled');
    assert.equal(renewed.held, false);
    assert.equal(renewed.held ? '' : renewed.holder?.runId, 'next');
    // Even after the new run released it: another run has written since, so the stalled one must not resume.
    await releaseLease(deps, name, 'next');
    assert.equal((await renewLease(deps, name, 'stalled')).held, false);
  });

  it('renews a run’s own lease even after it expired, as long as no other run took it', async () => {
    name = 'lease-own';
    at(0);
    await acquireLease(deps, name, 'slow');
    at(LEASE_SECONDS * 2);
    assert.equal(isLeaseActive(await readLease(deps, name), clock), false);
    const renewed = await renewLease(deps, name, 'slow');
    assert.equal(renewed.held, true);
    assert.equal(isLeaseActive(await readLease(deps, name), clock), true);
  });

  it('writes a renewal only when less than two thirds are left (a check before every batch costs one read)', async () => {
    name = 'lease-renew';
    at(0);
    await acquireLease(deps, name, 'run');
    at(LEASE_SECONDS / 3 - 1);
    const early = await renewLease(deps, name, 'run');
    assert.equal(early.held && early.holder.renewedAt, new Date(T0).toISOString(), 'not written yet');
    at(LEASE_SECONDS / 3 + 1);
    const late = await renewLease(deps, name, 'run');
    assert.equal(late.held && late.holder.renewedAt, clock.toISOString());
    assert.equal(
      (await readLease(deps, name))?.expiresAt,
      new Date(clock.getTime() + LEASE_SECONDS * 1000).toISOString(),
    );
  });

  it('gives it to exactly one of many concurrent starts', async () => {
    name = 'lease-race';
    at(0);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => acquireLease(deps, name, `racer-${i}`)));
    const winners = results.filter((r) => r.acquired);
    assert.equal(winners.length, 1);
    const holder = (await readLease(deps, name))?.runId;
    assert.equal(winners[0]!.holder.runId, holder);
    for (const loser of results.filter((r) => !r.acquired)) assert.equal(loser.holder.runId, holder);
  });

  it('a held lease throws LeaseLostError at the next check once another run took over', async () => {
    name = 'lease-held';
    at(0);
    await acquireLease(deps, name, 'worker');
    const held = await holdLease(deps, name, 'worker');
    try {
      await held.check();
      at(LEASE_SECONDS + 5);
      await acquireLease(deps, name, 'takeover');
      await assert.rejects(held.check(), (error: unknown) => {
        assert.ok(error instanceof LeaseLostError);
        assert.match(error.message, /run worker no longer holds the lease: run takeover has held it since/);
        return true;
      });
    } finally {
      held.stop();
    }
  });
});
