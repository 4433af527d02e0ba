import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';

describe('in-process Azurite', () => {
  let storage: LocalStorage;
  before(async () => {
    storage = await startLocalStorage();
  });
  after(async () => {
    await storage.stop();
  });

  it('serves queues, tables and blobs from one connection string', async () => {
    const queue = new QueueClient(storage.connectionString, 'smoke');
    await queue.createIfNotExists();
    await queue.sendMessage('hello');
    const received = await queue.receiveMessages();
    assert.equal(received.receivedMessageItems[0]?.messageText, 'hello');

    const table = TableClient.fromConnectionString(storage.connectionString, 'smoke', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    assert.equal((await table.getEntity<{ value: number }>('p', 'r')).value, 42);

    const container = BlobServiceClient.fromConnectionString(storage.connectionString).getContainerClient('smoke');
    await container.createIfNotExists();
    await container.getBlockBlobClient('a.txt').upload('abc', 3);
    const text = (await container.getBlockBlobClient('a.txt').downloadToBuffer()).toString();
    assert.equal(text, 'abc');
  });

  it('stops once however often stop is called (Ctrl-C reaches npm start twice)', async () => {
    const other = await startLocalStorage();
    await Promise.all([other.stop(), other.stop()]);
    await other.stop();
  });
});
