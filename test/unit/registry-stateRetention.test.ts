import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stateRetention } from '../../functions/stateRetention';
import { registeredFunctions } from '../../shared/app/functions';

interface Registration {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
}

describe('registry: stateRetention timer', () => {
  it('is defined as a daily timer, not run on startup', () => {
    assert.equal(stateRetention.kind, 'timer');
    assert.equal(stateRetention.schedule, '0 30 3 * * *');
    assert.equal(stateRetention.runOnStartup, undefined);
    assert.deepEqual(
      registeredFunctions().filter((fn) => fn.name === 'stateRetention'),
      [stateRetention],
    );
  });

  it('is registered with the host as a timerTrigger on that schedule', () => {
    const registrations = (globalThis as { __azureFunctionsRegistrations?: Registration[] })
      .__azureFunctionsRegistrations;
    assert.ok(registrations, 'run with dev/functions-core-stub.cjs preloaded');
    const matches = registrations.filter((r) => r.metadata.name === 'stateRetention');
    assert.equal(matches.length, 1);
    const binding = Object.values(matches[0]!.metadata.bindings).find((b) => b.direction === 'in');
    assert.equal(binding?.type, 'timerTrigger');
    assert.equal(binding?.schedule, '0 30 3 * * *');
    assert.equal(binding?.runOnStartup, false);
  });
});
