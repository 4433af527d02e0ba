import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentFlow } from '../../shared/runtime/flow';
import {
  defineHttp,
  defineQueue,
  defineTimer,
  poisonFunctionName,
  registeredFunctions,
} from '../../shared/runtime/registry';

interface Registration {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
}

/** The trigger binding the host would see for a function (recorded by dev/functions-core-stub.cjs). */
function triggerBinding(name: string): Record<string, unknown> {
  const registrations = (globalThis as { __azureFunctionsRegistrations?: Registration[] })
    .__azureFunctionsRegistrations;
  assert.ok(registrations, 'run with dev/functions-core-stub.cjs preloaded');
  const matches = registrations.filter((r) => r.metadata.name === name);
  assert.equal(matches.length, 1, `one registration named ${name}`);
  const binding = Object.values(matches[0]!.metadata.bindings).find((b) => b.direction === 'in');
  assert.ok(binding, `${name} has a trigger binding`);
  return binding;
}

describe('registry: host registrations', () => {
  it('defineHttp registers an httpTrigger with route, methods and authLevel', () => {
    defineHttp({
      name: 'regHttp',
      route: 'halo/webhook/{id}',
      methods: ['POST'],
      authLevel: 'function',
      handler: async () => ({ status: 202 }),
    });
    const binding = triggerBinding('regHttp');
    assert.equal(binding.type, 'httpTrigger');
    assert.equal(binding.route, 'halo/webhook/{id}');
    assert.deepEqual(binding.methods, ['POST']);
    assert.equal(binding.authLevel, 'function');
  });

  it('defineTimer registers a timerTrigger with the schedule as written (%NAME% left to the host)', () => {
    defineTimer({ name: 'regTimer', schedule: '%SCAN_SCHEDULE%', handler: async () => {} });
    const binding = triggerBinding('regTimer');
    assert.equal(binding.type, 'timerTrigger');
    assert.equal(binding.schedule, '%SCAN_SCHEDULE%');
    assert.equal(binding.runOnStartup, false);
  });

  it('defineQueue registers a queueTrigger on AzureWebJobsStorage, without a poison twin by default', () => {
    defineQueue({ name: 'regQueue', queueName: 'tenant-sync', handler: async () => {} });
    const binding = triggerBinding('regQueue');
    assert.equal(binding.type, 'queueTrigger');
    assert.equal(binding.queueName, 'tenant-sync');
    assert.equal(binding.connection, 'AzureWebJobsStorage');
    assert.equal(registeredFunctions().filter((fn) => fn.name === 'regQueuePoison').length, 0);
  });

  it('defineQueue with a poisonHandler also registers <name>Poison on <queue>-poison', async () => {
    const flows: (string | undefined)[] = [];
    const poisonHandler = async () => {
      flows.push(currentFlow());
    };
    const fn = defineQueue({ name: 'regEvents', queueName: 'halo-events', handler: async () => {}, poisonHandler });
    assert.equal(fn.poisonHandler, poisonHandler);
    assert.equal(poisonFunctionName('regEvents'), 'regEventsPoison');
    const binding = triggerBinding('regEventsPoison');
    assert.equal(binding.type, 'queueTrigger');
    assert.equal(binding.queueName, 'halo-events-poison');
    assert.equal(binding.connection, 'AzureWebJobsStorage');
    const twin = registeredFunctions().find((f) => f.name === 'regEventsPoison');
    assert.equal(twin?.kind, 'queue');
    assert.ok(twin?.kind === 'queue');
    // The registered handler is the poison handler, run in its function's flow (Halo usage is attributed to it).
    await twin.handler({}, {} as never, {} as never);
    assert.deepEqual(flows, ['regEvents']);
  });

  it('records every definition for the local runner, in order', () => {
    const names = registeredFunctions().map((fn) => fn.name);
    assert.deepEqual(names, ['regHttp', 'regTimer', 'regQueue', 'regEvents', 'regEventsPoison']);
  });
});
