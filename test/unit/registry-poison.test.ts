import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describePoisonedMessage, PREVIEW_LENGTH, readQueueTriggerMetadata } from '../../shared/runtime/poison';

const metadata = {
  id: 'm-1',
  dequeueCount: 1,
  insertionTime: '2025-03-01T10:00:00.000Z',
  expirationTime: '2025-03-08T10:00:00.000Z',
  nextVisibleTime: '2025-03-01T10:10:00.000Z',
  popReceipt: 'pr',
  queueTrigger: '{}',
};

describe('poison: describePoisonedMessage', () => {
  it('describes the message with its source queue, id, count and time', () => {
    const record = describePoisonedMessage('halo-events-poison', { ticketId: 1001, type: 'action' }, metadata);
    assert.deepEqual(record, {
      queue: 'halo-events',
      poisonQueue: 'halo-events-poison',
      messageId: 'm-1',
      dequeueCount: 1,
      preview: '{"ticketId":1001,"type":"action"}',
      time: '2025-03-01T10:00:00.000Z',
    });
  });

  it('accepts the source queue name too', () => {
    assert.equal(describePoisonedMessage('tenant-sync', 'x', metadata).poisonQueue, 'tenant-sync-poison');
  });

  it('masks secrets (known values and secret-shaped fields) and keeps the preview short', () => {
    const message = { client_secret: 'abc123', note: 'token sup3rs3cret', text: 'x'.repeat(500) };
    const record = describePoisonedMessage('q-poison', message, metadata, ['sup3rs3cret']);
    assert.doesNotMatch(record.preview, /abc123|sup3rs3cret/);
    assert.equal(record.preview.length, PREVIEW_LENGTH);
    assert.ok(record.preview.endsWith('…'));
  });

  it('is lenient with missing or odd metadata', () => {
    const record = describePoisonedMessage('q-poison', 'plain', { dequeueCount: '2', insertionTime: 'not a date' });
    assert.equal(record.messageId, 'unknown');
    assert.equal(record.dequeueCount, 2);
    assert.equal(record.time, 'unknown');
    assert.equal(describePoisonedMessage('q-poison', undefined, undefined).preview, 'undefined');
  });
});

describe('poison: readQueueTriggerMetadata', () => {
  it('reads valid metadata and names what is wrong otherwise', () => {
    assert.equal(readQueueTriggerMetadata(metadata).id, 'm-1');
    assert.throws(
      () => readQueueTriggerMetadata({ ...metadata, id: 5, dequeueCount: 'x' }),
      /triggerMetadata\.id.*triggerMetadata\.dequeueCount/,
    );
  });
});
