import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { type InvocationRecord, type LocalRunner, parseHostJson, startLocalRunner } from '../../dev/runner';
import type { Container } from '../../shared/app/container';
import { createLogger, memorySink } from '../../shared/runtime/logger';
import { describePoisonedMessage, type PoisonedMessageRecord } from '../../shared/runtime/poison';
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
  const poisonRecords: PoisonedMessageRecord[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  let slowHandled = 0;

  before(async () => {
    storage = await startLocalStorage();
    const functions: FunctionDefinition[] = [
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
        name: 'alwaysFailsPoison',
        queueName: 'doomed-poison',
        handler: async (message, context) => {
          poisonRecords.push(describePoisonedMessage('doomed-poison', message, context.triggerMetadata));
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
    for (const name of ['work-items', 'doomed', 'doomed-poison', 'slow-items']) {
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
    await queue('doomed').sendMessage(base64(JSON.stringify({ ticketId: 1001, password: 'pa55word' })));
    const ran = await runner.drain({ idleMs: 100 });
    unsubscribe();
    assert.deepEqual(failingAttempts, [1, 2, 3]);
    assert.equal(ran.filter((r) => r.functionName === 'alwaysFails').length, 3);
    assert.equal(records.filter((r) => r.functionName === 'alwaysFails' && r.poisoned).length, 1);
    assert.equal(poisonRecords.length, 1);
    const record = poisonRecords[0]!;
    assert.equal(record.queue, 'doomed');
    assert.equal(record.poisonQueue, 'doomed-poison');
    assert.equal(record.dequeueCount, 1);
    assert.match(record.preview, /"ticketId":1001/);
    assert.doesNotMatch(record.preview, /pa55word/);
    assert.equal((await queue('doomed').getProperties()).approximateMessagesCount, 0);
    assert.equal((await queue('doomed-poison').getProperties()).approximateMessagesCount, 0);
    const stats = runner.stats();
    assert.deepEqual(stats.alwaysFails, { invocations: 3, successes: 0, failures: 3, poisoned: 1 });
    assert.deepEqual(stats.alwaysFailsPoison, { invocations: 1, successes: 1, failures: 0, poisoned: 0 });
    assert.equal(sink.entries.filter((e) => e.message === 'queue message moved to poison queue').length, 1);
  });

  it('fails a message that is not valid base64 without calling the handler, like the host (poison twice over)', async () => {
    const attemptsBefore = failingAttempts.length;
    await queue('doomed').sendMessage('not base64 at all!');
    await runner.drain({ idleMs: 100 });
    assert.equal(failingAttempts.length, attemptsBefore);
    assert.equal(poisonRecords.length, 1);
    // The copy in doomed-poison cannot be decoded either, so the poison function fails and the host moves it on.
    const last = await queue('doomed-poison-poison').peekMessages();
    assert.equal(last.peekedMessageItems.length, 1);
    assert.equal(last.peekedMessageItems[0]?.messageText, 'not base64 at all!');
    const stats = runner.stats();
    assert.equal(stats.alwaysFails?.poisoned, 2);
    assert.deepEqual(stats.alwaysFailsPoison, { invocations: 4, successes: 1, failures: 3, poisoned: 1 });
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
});
