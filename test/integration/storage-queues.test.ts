import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import { blobServiceClient, connectionFromString, type StorageConnection } from '../../shared/storage/connection';
import { ensureStorage } from '../../shared/storage/ensureStorage';
import { BLOB_CONTAINERS, jobsQueueName, poisonQueueName, QUEUES } from '../../shared/storage/names';
import {
  decodeQueueMessage,
  hostValueOfQueueText,
  MAX_INLINE_MESSAGE_BYTES,
  MessageValidationError,
} from '../../shared/storage/queueMessages';
import { rawQueue } from '../../shared/storage/rawQueue';
import { typedQueue } from '../../shared/storage/typedQueue';

const eventSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  ticketId: z.number().int(),
  body: z.string().optional(),
});

describe('queues on Azurite', () => {
  let storage: LocalStorage;
  let connection: StorageConnection;
  before(async () => {
    storage = await startLocalStorage();
    connection = connectionFromString(storage.connectionString);
  });
  after(async () => {
    await storage.stop();
  });

  it('ensure creates the queue and its -poison twin', async () => {
    const queue = typedQueue(connection, 'ensure-check', eventSchema);
    await queue.ensure();
    await queue.ensure();
    const names: string[] = [];
    for await (const name of serviceQueues()) names.push(name);
    assert.ok(names.includes('ensure-check'));
    assert.ok(names.includes(poisonQueueName('ensure-check')));
  });

  async function* serviceQueues(): AsyncGenerator<string> {
    const { QueueServiceClient } = await import('@azure/storage-queue');
    for await (const item of QueueServiceClient.fromConnectionString(storage.connectionString).listQueues()) {
      yield item.name;
    }
  }

  it('sends base64 JSON that the host would decode, and counts it', async () => {
    const queue = typedQueue(connection, 'encoding-check', eventSchema);
    await queue.ensure();
    const event = { id: 'e1', type: 'ticket-action', ticketId: 1001 };
    const sent = await queue.send(event);
    assert.equal(sent.offloaded, false);
    assert.equal(await queue.peekCount(), 1);

    const [received] = await rawQueue(connection, 'encoding-check').receive();
    assert.ok(received);
    assert.equal(received.text, Buffer.from(JSON.stringify(event)).toString('base64'));
    const hostView = hostValueOfQueueText(received.text);
    assert.deepEqual(hostView, event);
    assert.deepEqual(decodeQueueMessage(eventSchema, hostView), event);
    assert.deepEqual(await queue.decode(received.text), event);
  });

  it('never sends a message the schema rejects', async () => {
    const queue = typedQueue(connection, 'reject-check', eventSchema);
    await queue.ensure();
    await assert.rejects(
      queue.send({ id: '', type: 'x', ticketId: 1.5 }),
      (error: unknown) =>
        error instanceof MessageValidationError && error.issues.map((i) => i.path).join(',') === 'id,ticketId',
    );
    await assert.rejects(
      queue.sendMany([
        { id: 'ok', type: 'x', ticketId: 1 },
        { id: 'bad', type: 'x', ticketId: 'no' as unknown as number },
      ]),
      (error: unknown) => error instanceof MessageValidationError && error.issues[0]?.path === '[1].ticketId',
    );
    assert.equal(await queue.peekCount(), 0);
  });

  it('sends many, with options', async () => {
    const queue = typedQueue(connection, 'many-check', eventSchema);
    await queue.ensure();
    const events = Array.from({ length: 20 }, (_, i) => ({ id: `e${i}`, type: 't', ticketId: i }));
    const result = await queue.sendMany(events, { messageTtlSeconds: 3600 });
    assert.deepEqual(result, { sent: 20, offloaded: 0 });
    assert.equal(await queue.peekCount(), 20);
    await queue.send(events[0]!, { visibilityTimeoutSeconds: 300 });
    const visible = await rawQueue(connection, 'many-check').receive({ maxMessages: 32 });
    assert.equal(visible.length, 20);
  });

  it('offloads a message over 48 KiB to the payloads container and decodes it back', async () => {
    const queue = typedQueue(connection, QUEUES.haloEvents, eventSchema);
    await queue.ensure();
    const big = { id: 'big', type: 'ticket-action', ticketId: 7, body: 'é'.repeat(MAX_INLINE_MESSAGE_BYTES) };
    const sent = await queue.send(big);
    assert.equal(sent.offloaded, true);

    const [received] = await rawQueue(connection, QUEUES.haloEvents).receive();
    assert.ok(received);
    assert.ok(received.text.length < 1024);
    const hostView = hostValueOfQueueText(received.text) as { $payload: { container: string; bytes: number } };
    assert.equal(hostView.$payload.container, BLOB_CONTAINERS.payloads);
    assert.equal(hostView.$payload.bytes, Buffer.byteLength(JSON.stringify(big)));
    assert.deepEqual(await queue.decode(hostView), big);
    assert.deepEqual(await queue.decode(received.text), big);

    const blobs: string[] = [];
    const container = blobServiceClient(connection).getContainerClient(BLOB_CONTAINERS.payloads);
    for await (const blob of container.listBlobsFlat({ prefix: `${QUEUES.haloEvents}/` })) blobs.push(blob.name);
    assert.equal(blobs.length, 1);
  });

  it('rejects a pointer to a missing payload with a clear error', async () => {
    const queue = typedQueue(connection, 'pointer-check', eventSchema);
    await assert.rejects(
      queue.decode({ $payload: { container: 'payloads', blob: 'pointer-check/none.json', bytes: 1 } }),
      /no longer exists/,
    );
  });

  it('raw queue: lease, renew, delete and redelivery with dequeue count', async () => {
    const queue = rawQueue(connection, jobsQueueName('default'));
    await queue.ensure();
    await queue.sendText('aGVsbG8=');
    const [first] = await queue.receive({ visibilityTimeoutSeconds: 60 });
    assert.ok(first);
    assert.equal(first.dequeueCount, 1);
    assert.equal((await queue.receive()).length, 0, 'leased message is invisible');

    const renewed = await queue.updateVisibility(first.messageId, first.popReceipt, 0);
    const [again] = await queue.receive({ visibilityTimeoutSeconds: 60 });
    assert.ok(again);
    assert.notEqual(renewed, first.popReceipt);
    assert.equal(again.messageId, first.messageId);
    assert.equal(again.dequeueCount, 2);
    assert.equal(again.text, 'aGVsbG8=');

    await queue.delete(again.messageId, again.popReceipt);
    assert.equal(await queue.peekCount(), 0);
    await queue.sendText('x');
    await queue.clear();
    assert.equal(await queue.peekCount(), 0);
  });

  it('ensureStorage creates every queue (with poison twins) and the jobs queues of the worker groups', async () => {
    await ensureStorage(connection, ['site-a']);
    const names: string[] = [];
    for await (const name of serviceQueues()) names.push(name);
    for (const queue of [...Object.values(QUEUES), 'jobs-site-a']) {
      assert.ok(names.includes(queue), queue);
      assert.ok(names.includes(poisonQueueName(queue)), poisonQueueName(queue));
    }
  });
});
