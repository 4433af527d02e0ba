import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { type LocalRunner, parseHostJson, startLocalRunner } from '../../dev/runner';
import { queuePoisonSweep } from '../../functions/queuePoisonSweep';
import type { Container } from '../../shared/app/container';
import { defineQueue } from '../../shared/app/functions';
import { createLogger, memorySink } from '../../shared/runtime/logger';
import {
  connectionFromString,
  ensureTables,
  MessageRejected,
  type QueueFailure,
  type QueueFailureStore,
  queueFailureStore,
} from '../../shared/storage';

const QUEUE = 'poison-probe';
const SECRET = 'probe-s3cret-value';
const MAX_DEQUEUE = 3;

const probeSchema = z.object({ ticketId: z.number().int(), behaviour: z.enum(['ok', 'fail', 'reject']) }).strict();
const handled: z.output<typeof probeSchema>[] = [];
const givenUp: { message: z.output<typeof probeSchema>; failure: QueueFailure }[] = [];

const probe = defineQueue({
  name: 'poisonProbe',
  queueName: QUEUE,
  schema: probeSchema,
  handler: async (message) => {
    handled.push(message);
    if (message.behaviour === 'fail') throw new Error(`Halo said 500 (client_secret=${SECRET})`);
    if (message.behaviour === 'reject') throw new MessageRejected(`ticket ${message.ticketId} is not ours`);
  },
  onGiveUp: async (message, failure) => {
    givenUp.push({ message, failure });
  },
});

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('queue failures: a message of any shape is recorded once, with a masked preview, never -poison-poison', () => {
  let storage: LocalStorage;
  let runner: LocalRunner;
  let failures: QueueFailureStore;
  let queue: QueueClient;
  let service: (name: string) => QueueClient;
  const sink = memorySink();

  before(async () => {
    storage = await startLocalStorage();
    const connection = connectionFromString(storage.connectionString);
    await ensureTables(connection);
    failures = queueFailureStore(connection);
    const log = createLogger({ sink, level: 'debug', secrets: () => [SECRET] });
    const container = {
      storage: connection,
      stores: { queueFailures: failures },
      log,
      settings: { secretValues: [SECRET] },
      queueDelivery: { maxDequeueCount: MAX_DEQUEUE },
    } as unknown as Container;
    runner = await startLocalRunner({
      functions: [probe, queuePoisonSweep],
      container,
      storageConnectionString: storage.connectionString,
      hostJson: parseHostJson({
        version: '2.0',
        extensions: {
          queues: { maxDequeueCount: MAX_DEQUEUE, visibilityTimeout: '00:00:00', maxPollingInterval: '00:00:00.200' },
        },
      }),
      keys: { functionKey: 'f-key-0000', masterKey: 'm-key-0000' },
      log,
    });
    service = (name) => new QueueClient(storage.connectionString, name);
    queue = service(QUEUE);
  });

  after(async () => {
    await runner?.stop();
    await storage?.stop();
  });

  beforeEach(() => {
    handled.length = 0;
    givenUp.length = 0;
  });

  /** Sends raw text, lets the runner and then the poison sweep run, and returns what was recorded meanwhile. */
  async function deliver(text: string): Promise<QueueFailure[]> {
    const before = new Set((await failures.list(QUEUE)).map((f) => f.id));
    await queue.sendMessage(text);
    await runner.drain({ idleMs: 100 });
    const sweep = await runner.runTimer('queuePoisonSweep');
    assert.equal(sweep.outcome, 'success', sweep.error);
    assert.equal(await service(`${QUEUE}-poison-poison`).exists(), false, 'never -poison-poison');
    assert.equal(
      (await service(`${QUEUE}-poison`).getProperties()).approximateMessagesCount,
      0,
      'the poison queue is emptied',
    );
    assert.equal((await queue.getProperties()).approximateMessagesCount, 0);
    return (await failures.list(QUEUE)).filter((f) => !before.has(f.id));
  }

  function deliveries(): number {
    return runner.stats().poisonProbe?.invocations ?? 0;
  }

  it('not base64: the host cannot decode it, moves it to -poison at once; the sweep records it as undeliverable', async () => {
    const invoked = deliveries();
    const [failure, ...more] = await deliver('not base64 at all! {"ticketId":1}');
    assert.equal(more.length, 0);
    assert.equal(failure?.kind, 'undeliverable');
    assert.equal(failure?.preview, 'not base64 at all! {"ticketId":1}');
    assert.match(failure?.reason ?? '', /not base64 text .*moved it to poison-probe-poison/);
    assert.equal(failure?.replayable, false);
    assert.equal(deliveries(), invoked, 'the function never ran');
  });

  it('base64 but not JSON: rejected at once (one delivery), not retried', async () => {
    const invoked = deliveries();
    const [failure, ...more] = await deliver(base64('this is text, not JSON'));
    assert.equal(more.length, 0);
    assert.equal(failure?.kind, 'malformed');
    assert.equal(failure?.dequeueCount, 1);
    assert.equal(failure?.preview, 'this is text, not JSON');
    assert.match(failure?.reason ?? '', /\(root\): is neither JSON nor base64-encoded JSON/);
    assert.equal(deliveries(), invoked + 1);
    assert.equal(handled.length, 0);
  });

  it('JSON of the wrong shape: rejected at once, the reason names each wrong field by its path', async () => {
    const [failure] = await deliver(base64(JSON.stringify({ ticketId: 'one', behaviour: 'ok', extra: true })));
    assert.equal(failure?.kind, 'malformed');
    assert.match(failure?.reason ?? '', /ticketId: .*number/);
    assert.match(failure?.reason ?? '', /extra|unrecognized/i);
    assert.equal(handled.length, 0);
  });

  it('JSON nested 20,000 levels deep: rejected at once, bounded preview, nothing overflows', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const [failure] = await deliver(base64(deep));
    assert.equal(failure?.kind, 'malformed');
    assert.match(failure?.reason ?? '', /nested more than 32 levels deep/);
    assert.ok((failure?.preview.length ?? 0) < 500, failure?.preview);
    assert.match(failure?.preview ?? '', /^\[\[\[\[.*… \[40000 characters\]$/);
    assert.equal(failure?.dequeueCount, 1);
  });

  it('huge (47 KB): rejected at once with a preview cut to the limit and the size', async () => {
    const text = JSON.stringify({ ticketId: 1, behaviour: 'ok', note: 'n'.repeat(47_000) });
    const [failure] = await deliver(base64(text));
    assert.equal(failure?.kind, 'malformed');
    assert.ok((failure?.preview.length ?? 0) < 500, `${failure?.preview.length}`);
    assert.ok(failure?.preview.endsWith(`… [${text.length} characters]`), failure?.preview.slice(-40));
  });

  it('binary (base64 of bytes that are not text): rejected at once, shown as what it is', async () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
    const [failure] = await deliver(base64(bytes));
    assert.equal(failure?.kind, 'malformed');
    assert.match(failure?.preview ?? '', /\[\d+ characters, mostly not text\]$/);
    assert.doesNotMatch(failure?.preview ?? '', /[\u0000-\u001f\ufffd]/);
  });

  it('binary that is not base64 either: undeliverable, still readable', async () => {
    // Queue messages travel in XML, so control characters cannot even be sent: this is as binary as text gets there.
    const [failure] = await deliver('\u00ff\u00fe\u0080\u0081\u0085\ufffd\ufffd\u009b raw \u00ff bytes \u0090\u0091');
    assert.equal(failure?.kind, 'undeliverable');
    assert.match(failure?.preview ?? '', /\\x80\\x81/);
    assert.doesNotMatch(failure?.preview ?? '', /[\u0080-\u009f]/);
  });

  it('secrets in a message are masked in the preview and the reason', async () => {
    const [failure] = await deliver(base64(JSON.stringify({ password: 'hunter2', note: `key ${SECRET}` })));
    assert.equal(failure?.kind, 'malformed');
    assert.doesNotMatch(JSON.stringify(failure), /hunter2|probe-s3cret/);
    assert.match(failure?.preview ?? '', /"password":"\*\*\*"/);
  });

  it('a valid message that fails on every delivery is recorded by the last one with its error; onGiveUp runs once', async () => {
    const invoked = deliveries();
    const poisonedBefore = runner.stats().poisonProbe?.poisoned;
    const [failure, ...more] = await deliver(base64(JSON.stringify({ ticketId: 7, behaviour: 'fail' })));
    assert.equal(more.length, 0);
    assert.equal(deliveries(), invoked + MAX_DEQUEUE);
    assert.equal(failure?.kind, 'exhausted');
    assert.match(
      failure?.reason ?? '',
      /^failed on all 3 deliveries; last error: Halo said 500 \(client_secret=\*\*\*/,
    );
    assert.equal(failure?.replayable, true);
    assert.deepEqual(
      givenUp.map((g) => [g.message, g.failure.id]),
      [[{ ticketId: 7, behaviour: 'fail' }, failure?.id]],
    );
    assert.equal(runner.stats().poisonProbe?.poisoned, poisonedBefore, 'it never needed the poison queue');
  });

  it('a message the handler rejects for good is recorded at once as rejected', async () => {
    const invoked = deliveries();
    const [failure] = await deliver(base64(JSON.stringify({ ticketId: 8, behaviour: 'reject' })));
    assert.equal(failure?.kind, 'rejected');
    assert.equal(failure?.reason, 'ticket 8 is not ours');
    assert.equal(deliveries(), invoked + 1);
    assert.equal(givenUp.length, 0);
  });

  it('a valid message the host moved to -poison (a timed-out last delivery) is recorded by the sweep, with onGiveUp', async () => {
    const text = base64(JSON.stringify({ ticketId: 9, behaviour: 'ok' }));
    await service(`${QUEUE}-poison`).sendMessage(text);
    const [failure] = await deliver(base64(JSON.stringify({ ticketId: 10, behaviour: 'ok' })));
    assert.equal(failure?.kind, 'exhausted');
    assert.match(failure?.reason ?? '', /the host moved it to poison-probe-poison/);
    assert.deepEqual(
      givenUp.map((g) => g.message),
      [{ ticketId: 9, behaviour: 'ok' }],
    );
  });

  it('a recorded failure replays once: the handler gets the message again', async () => {
    const [failure] = await deliver(base64(JSON.stringify({ ticketId: 11, behaviour: 'reject' })));
    assert.ok(failure);
    handled.length = 0;
    const replayed = await failures.replay(QUEUE, failure.id);
    assert.equal(replayed.ok, true);
    assert.equal((await failures.replay(QUEUE, failure.id)).ok, false);
    await runner.drain({ idleMs: 100 });
    assert.deepEqual(handled, [{ ticketId: 11, behaviour: 'reject' }]);
  });
});
