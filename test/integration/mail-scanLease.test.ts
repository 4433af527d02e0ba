import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import type { StateStores } from '../../shared/app/container';
import { acquireScanLease, ScanLeaseLostError } from '../../shared/mail/useCases/scanLease';
import { connectionFromString } from '../../shared/storage/connection';
import { checkpointStore } from '../../shared/storage/tables/checkpoints';
import { ensureTables } from '../../shared/storage/tables/ensureTables';

describe('mail scan lease: one scan per mailbox at a time', () => {
  let storage: LocalStorage;
  let deps: { stores: Pick<StateStores, 'checkpoints'>; now: () => Date };
  let clock = new Date('2025-03-01T10:00:00Z');
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const TTL = 60_000;

  before(async () => {
    storage = await startLocalStorage();
    const connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    deps = { stores: { checkpoints: checkpointStore(connection, { now: () => clock }) }, now: () => clock };
  });
  after(async () => {
    await storage.stop();
  });

  const acquire = (mailboxId: string) => acquireScanLease(deps as never, mailboxId, TTL);

  it('a second trigger while a scan runs does not scan; the holder learns to scan once more', async () => {
    const first = await acquire('support');
    assert.notEqual(first, 'busy');
    assert.equal(await acquire('support'), 'busy');
    assert.equal(await acquire('support'), 'busy', 'a third trigger coalesces too');
    const other = await acquire('other');
    assert.notEqual(other, 'busy', 'another mailbox has its own lease');
    if (other !== 'busy') await other.release();
    if (first === 'busy') return;
    assert.equal(await first.release(), true, 'released with a rerun asked for');
    const next = await acquire('support');
    assert.notEqual(next, 'busy', 'free again after release');
    if (next !== 'busy') assert.equal(await next.release(), false, 'nobody asked for a rerun this time');
  });

  it('a lease its scan stopped renewing expires and is taken over; the old holder then stops', async () => {
    const stalled = await acquire('desk');
    assert.notEqual(stalled, 'busy');
    advance(TTL / 2);
    assert.equal(await acquire('desk'), 'busy', 'not expired yet');
    advance(TTL);
    const takeover = await acquire('desk');
    assert.notEqual(takeover, 'busy', 'expired: taken over');
    if (stalled === 'busy' || takeover === 'busy') return;
    await assert.rejects(stalled.keep(), ScanLeaseLostError);
    assert.equal(await stalled.release(), false, 'releasing a lease one no longer holds changes nothing');
    assert.equal(await acquire('desk'), 'busy', 'the new holder still holds it');
    await takeover.release();
  });

  it('keep() renews the lease, so a long scan is not taken over', async () => {
    const long = await acquire('long');
    assert.notEqual(long, 'busy');
    if (long === 'busy') return;
    for (let i = 0; i < 5; i++) {
      advance(TTL / 2);
      await long.keep();
    }
    assert.equal(await acquire('long'), 'busy', 'still held after 2.5 TTLs thanks to the renewals');
    assert.equal(await long.release(), true);
  });
});
