import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { type InvocationRecord, type LocalRunner, parseHostJson, startLocalRunner } from '../../dev/runner';
import type { Container } from '../../shared/app/container';
import { createLogger, memorySink } from '../../shared/runtime/logger';
import type { FunctionDefinition } from '../../shared/runtime/registry';

const container = { marker: 'deps' } as unknown as Container;
const hostJson = parseHostJson({
  version: '2.0',
  extensions: {
    queues: {
      batchSize: 2,
      newBatchThreshold: 1,
      maxDequeueCount: 3,
      visibilityTimeout: '00:00:00',
      maxPollingInterval: '00:00:00.200',
      messageEncoding: 'base64',
    },
  },
});

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('local runner: queue triggers', () => {
  let storage: LocalStorage;
  let runner: LocalRunner;
  const sink = memorySink();
  const received: { message: unknown; metadata: Record<string, unknown>; deps: unknown }[] = [];
  const failingAttempts: number[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  let slowHandled = 0;

  before(async () => {
    storage = await startLocalStorage();
    const functions: FunctionDefinition<Container>[] = [
      {
        kind: 'queue',
        name: 'collect',
        queueName: 'work-items',
        handler: async (message, context, deps) => {
          received.push({ message, metadata: { ...context.triggerMetadata }, deps });
        },
      },
      {
        kind: 'queue',
        name: 'alwaysFails',
        queueName: 'doomed',
        handler: async (_message, context: InvocationContext) => {
          failingAttempts.push(Number(context.triggerMetadata?.dequeueCount));
          throw new Error('cannot handle this one');
        },
      },
      {
        kind: 'queue',
        name: 'slow',
        queueName: 'slow-items',
        handler: async () => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await new Promise((resolve) => setTimeout(resolve, 15));
          concurrent--;
          slowHandled++;
        },
      },
    ];
    runner = await startLocalRunner({
      functions,
      container,
      storageConnectionString: storage.connectionString,
      hostJson,
      keys: { functionKey: 'f-key-0000', masterKey: 'm-key-0000' },
      settings: {},
      log: createLogger({ sink, level: 'debug' }),
    });
  });

  after(async () => {
    await runner.stop();
    await storage.stop();
  });

  function queue(name: string): QueueClient {
    return new QueueClient(storage.connectionString, name);
  }

  it('creates the watched queues', async () => {
    for (const name of ['work-items', 'doomed', 'slow-items']) {
      assert.equal(await queue(name).exists(), true, name);
    }
  });

  it('decodes base64 JSON (and plain text) and fills the trigger metadata like the host', async () => {
    const sent = await queue('work-items').sendMessage(base64(JSON.stringify({ tenantId: 't1', kind: 'full' })));
    await queue('work-items').sendMessage(base64('just text'));
    const ran = await runner.drain({ idleMs: 50 });
    assert.equal(ran.filter((r) => r.functionName === 'collect').length, 2);
    assert.equal(received.length, 2);
    const json = received.find((r) => typeof r.message === 'object');
    assert.deepEqual(json?.message, { tenantId: 't1', kind: 'full' });
    assert.equal(json?.deps, container);
    assert.equal(json?.metadata.id, sent.messageId);
    assert.equal(json?.metadata.dequeueCount, 1);
    for (const key of ['insertionTime', 'expirationTime', 'nextVisibleTime']) {
      assert.ok(!Number.isNaN(Date.parse(String(json?.metadata[key]))), key);
    }
    assert.equal(typeof json?.metadata.popReceipt, 'string');
    assert.equal(json?.metadata.queueTrigger, JSON.stringify({ tenantId: 't1', kind: 'full' }));
    assert.ok(received.some((r) => r.message === 'just text'));
    assert.equal((await queue('work-items').getProperties()).approximateMessagesCount, 0);
  });

  it('retries a failing message maxDequeueCount times, then moves it to -poison once', async () => {
    const records: InvocationRecord[] = [];
    const unsubscribe = runner.onInvocation((record) => records.push(record));
    const text = base64(JSON.stringify({ ticketId: 1001 }));
    await queue('doomed').sendMessage(text);
    const ran = await runner.drain({ idleMs: 100 });
    unsubscribe();
    assert.deepEqual(failingAttempts, [1, 2, 3]);
    assert.equal(ran.filter((r) => r.functionName === 'alwaysFails').length, 3);
    assert.equal(records.filter((r) => r.functionName === 'alwaysFails' && r.poisoned).length, 1);
    assert.equal((await queue('doomed').getProperties()).approximateMessagesCount, 0);
    const poisoned = (await queue('doomed-poison').receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
    assert.deepEqual(
      poisoned.map((m) => m.messageText),
      [text],
      'the original text, unchanged',
    );
    await queue('doomed-poison').deleteMessage(poisoned[0]!.messageId, poisoned[0]!.popReceipt);
    assert.deepEqual(runner.stats().alwaysFails, { invocations: 3, successes: 0, failures: 3, poisoned: 1 });
    assert.equal(sink.entries.filter((e) => e.message === 'queue message moved to poison queue').length, 1);
  });

  it('moves a message that is not valid base64 to -poison at once, without calling the handler, like the host', async () => {
    const attemptsBefore = failingAttempts.length;
    await queue('doomed').sendMessage('not base64 at all!');
    await runner.drain({ idleMs: 100 });
    assert.equal(failingAttempts.length, attemptsBefore);
    const poisoned = await queue('doomed-poison').peekMessages({ numberOfMessages: 32 });
    assert.deepEqual(
      poisoned.peekedMessageItems.map((m) => [m.messageText, m.dequeueCount]),
      [['not base64 at all!', 0]],
    );
    assert.equal(await queue('doomed-poison-poison').exists(), false);
    const stats = runner.stats();
    assert.equal(stats.alwaysFails?.poisoned, 2);
    assert.equal(stats.alwaysFails?.invocations, 3, 'not invoked for it');
  });

  it('keeps at most batchSize + newBatchThreshold messages in flight', async () => {
    const q = queue('slow-items');
    await Promise.all(Array.from({ length: 12 }, (_, i) => q.sendMessage(base64(String(i)))));
    await runner.drain({ idleMs: 50 });
    assert.equal(slowHandled, 12);
    assert.ok(maxConcurrent <= 3, `max concurrent ${maxConcurrent}`);
    assert.ok(maxConcurrent >= 2, `max concurrent ${maxConcurrent}`);
  });

  it('drain returns nothing when already idle', async () => {
    assert.deepEqual(await runner.drain({ idleMs: 20 }), []);
  });

  it('a handler that outlasts a short message lease keeps its message: renewed as it runs, delivered once', async () => {
    const deliveries: number[] = [];
    const shortLease = await startLocalRunner({
      functions: [
        {
          kind: 'queue',
          name: 'longHandler',
          queueName: 'long-items',
          handler: async (_message, context: InvocationContext) => {
            deliveries.push(Number(context.triggerMetadata?.dequeueCount));
            await new Promise((resolve) => setTimeout(resolve, 2500));
          },
        },
      ] as FunctionDefinition<Container>[],
      container,
      storageConnectionString: storage.connectionString,
      hostJson,
      keys: { functionKey: 'f-key-0000', masterKey: 'm-key-0000' },
      log: createLogger({ sink }),
      messageLeaseSeconds: 1,
    });
    try {
      await queue('long-items').sendMessage(base64('slow'));
      const ran = await shortLease.drain({ idleMs: 300 });
      assert.deepEqual(deliveries, [1], 'one delivery, although the handler ran 2.5 lease lengths');
      assert.deepEqual(
        ran.map((r) => r.outcome),
        ['success'],
      );
      assert.equal((await queue('long-items').getProperties()).approximateMessagesCount, 0, 'deleted after success');
    } finally {
      await shortLease.stop();
    }
  });
});
