import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { declaredQueues, defineHttp, defineQueue, defineTimer, registeredFunctions } from '../../shared/app/functions';
import { currentFlow } from '../../shared/runtime/flow';
import { createRegistry } from '../../shared/runtime/registry';

interface Registration {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
  callback: (...args: unknown[]) => Promise<unknown>;
}

function registrationsNamed(name: string): Registration[] {
  const registrations = (globalThis as { __azureFunctionsRegistrations?: Registration[] })
    .__azureFunctionsRegistrations;
  assert.ok(registrations, 'run with dev/functions-core-stub.cjs preloaded');
  return registrations.filter((r) => r.metadata.name === name);
}

/** The trigger binding the host would see for a function (recorded by dev/functions-core-stub.cjs). */
function triggerBinding(name: string): Record<string, unknown> {
  const matches = registrationsNamed(name);
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

  it('defineQueue registers one queueTrigger on AzureWebJobsStorage and never a trigger on its -poison twin', () => {
    defineQueue({ name: 'regQueue', queueName: 'tenant-sync', schema: z.object({}), handler: async () => {} });
    const binding = triggerBinding('regQueue');
    assert.equal(binding.type, 'queueTrigger');
    assert.equal(binding.queueName, 'tenant-sync');
    assert.equal(binding.connection, 'AzureWebJobsStorage');
    // A trigger on -poison would move a message it cannot decode to -poison-poison: the sweep timer reads it instead.
    assert.equal(registrationsNamed('regQueuePoison').length, 0);
    assert.ok(declaredQueues().some((q) => q.name === 'regQueue' && q.queueName === 'tenant-sync'));
  });

  it('records every definition for the local runner, in order', () => {
    const names = registeredFunctions().map((fn) => fn.name);
    assert.deepEqual(names, ['regHttp', 'regTimer', 'regQueue']);
  });

  it('the host gets each handler its dependencies from the registry provider, asked on each invocation', async () => {
    let built = 0;
    const registry = createRegistry(async () => ({ built: ++built }));
    const seen: unknown[] = [];
    registry.defineHttp({
      name: 'regProvider',
      route: 'provider',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: async (_request, _context, deps) => {
        seen.push(deps);
        return { status: 204 };
      },
    });
    assert.equal(built, 0, 'defining a function builds nothing');
    const [registration] = registrationsNamed('regProvider');
    await registration!.callback({}, {});
    assert.deepEqual(seen, [{ built: 1 }]);
    assert.deepEqual(
      registry.functions().map((fn) => fn.name),
      ['regProvider'],
    );
  });

  it("every invocation runs in its function's flow (what it costs downstream is attributed to it)", async () => {
    const flows: (string | undefined)[] = [];
    const registry = createRegistry(async () => ({}));
    const fn = registry.defineQueue({
      name: 'mailboxScanFlowProbe',
      queueName: 'flow-probe',
      handler: async () => {
        flows.push(currentFlow());
      },
    });
    await fn.handler({}, {} as never, {});
    await registrationsNamed('mailboxScanFlowProbe')[0]!.callback({}, {});
    assert.deepEqual(flows, ['mail', 'mail']);
  });
});
