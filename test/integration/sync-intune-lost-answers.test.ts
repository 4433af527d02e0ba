import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Rec } from '../../dev/halo-sim';
import { type Stack, startStack } from '../../dev/stack';
import { runIntune } from './intune-helpers';

const WRITES = ['^/api/Asset$', '^/api/AssetType', '^/api/SoftwareLicence'];

/** What Halo holds that must exist once: assets by Intune id, types by name, licences by company and name. */
function repeats(stack: Stack): string[] {
  const tables = stack.halo.store.tables;
  const keys = [
    ...[...tables.assets.values()].filter((a) => a.intune_id).map((a) => `asset ${String(a.intune_id).toLowerCase()}`),
    ...[...tables.assetTypes.values()].map((t) => `type ${String(t.name).trim()}`),
    ...[...tables.softwareLicences.values()].map(
      (l: Rec) => `licence ${l.client_id}/${String(l.name).trim().toLowerCase()}`,
    ),
  ];
  return keys.filter((key, i) => keys.indexOf(key) !== i);
}

function intuneStack(): Promise<Stack> {
  return startStack({
    queues: { visibilityTimeout: '00:00:00.200', maxDequeueCount: 5 },
    config: (demo) => {
      const intune = demo.intuneSync as Record<string, unknown>;
      return {
        ...demo,
        intuneSync: {
          ...intune,
          assetType: { from: 'field', field: 'model', assetGroupId: 1 },
          software: { enabled: true, endpoint: 'auto', createMissingLicences: true },
        },
      };
    },
  });
}

describe('intune sync: Halo answers lost on writes never create an asset, type or licence twice', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('the first create of each kind loses its answer after Halo saved it: looked up, found, not sent again', async () => {
    stack = await intuneStack();
    for (const path of WRITES)
      stack.halo.faults.add({ method: 'POST', path, times: 1, effect: { kind: 'lostAnswer', answer: 504 } });
    const found = stack.container.halo.stats().recoveredByLookup;
    const status = await runIntune(stack);
    assert.equal(status.run.status, 'succeeded', String(status.run.error));
    assert.equal(stack.halo.counters().faults, WRITES.length, 'every rule fired');
    assert.ok(
      stack.container.halo.stats().recoveredByLookup - found >= WRITES.length,
      'each lost batch was looked up and found within its delivery (createOnce), not left to a queue retry',
    );
    assert.deepEqual(repeats(stack), []);
    const linked = [...stack.halo.store.tables.assets.values()].filter((a) => a.intune_id);
    assert.equal(linked.length, 9, 'every Intune device of both tenants has one asset (the Defender-only one none)');
  });

  it('a quarter of the writes lose their answer or never arrive (by probability, seeded): each record once', async () => {
    stack = await intuneStack();
    stack.halo.faults.load({
      seed: 12,
      rules: WRITES.flatMap((path) => [
        { method: 'POST', path, probability: 0.15, effect: { kind: 'lostAnswer', answer: 'drop' } },
        { method: 'POST', path, probability: 0.1, effect: { kind: 'drop' } },
      ]),
    });
    const status = await runIntune(stack);
    assert.equal(status.run.status, 'succeeded', String(status.run.error));
    assert.ok(stack.halo.counters().faults > 0, 'faults were injected');
    assert.deepEqual(repeats(stack), []);
    const linked = [...stack.halo.store.tables.assets.values()].filter((a) => a.intune_id);
    assert.equal(linked.length, 9);
  });
});
