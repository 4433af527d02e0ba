import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  decodeQueueMessage,
  encodeQueueText,
  hostValueOfQueueText,
  MessageValidationError,
} from '../../shared/storage/queueMessages';

const schema = z.object({
  tenantId: z.string().min(1),
  kind: z.enum(['companies', 'contacts']),
  tags: z.array(z.string()).optional(),
});
const message = { tenantId: 't1', kind: 'contacts' as const };

describe('decodeQueueMessage', () => {
  it('accepts what the host hands a handler: a parsed object or a JSON string', () => {
    assert.deepEqual(decodeQueueMessage(schema, message), message);
    assert.deepEqual(decodeQueueMessage(schema, JSON.stringify(message)), message);
  });

  it('accepts what a raw receive gives: base64 text, or a Buffer', () => {
    const base64 = encodeQueueText(JSON.stringify(message));
    assert.deepEqual(decodeQueueMessage(schema, base64), message);
    assert.deepEqual(decodeQueueMessage(schema, Buffer.from(JSON.stringify(message))), message);
  });

  it('names the JSON path of each wrong field', () => {
    assert.throws(
      () => decodeQueueMessage(schema, { tenantId: '', kind: 'devices', tags: ['a', 3] }, 'tenant-sync'),
      (error: unknown) => {
        assert.ok(error instanceof MessageValidationError);
        assert.equal(error.queue, 'tenant-sync');
        assert.deepEqual(
          error.issues.map((i) => i.path),
          ['tenantId', 'kind', 'tags[1]'],
        );
        assert.match(error.message, /tenant-sync/);
        return true;
      },
    );
  });

  it('rejects text that is neither JSON nor base64 JSON', () => {
    assert.throws(() => decodeQueueMessage(schema, '%%% not a message'), /neither JSON nor base64/);
  });

  it('points at typedQueue.decode for an offloaded message', () => {
    const pointer = { $payload: { container: 'payloads', blob: 'q/x.json', bytes: 100_000 } };
    assert.throws(() => decodeQueueMessage(schema, pointer), /offloaded/);
  });
});

describe('hostValueOfQueueText', () => {
  it('decodes base64 and parses JSON as the Functions host does', () => {
    assert.deepEqual(hostValueOfQueueText(encodeQueueText('{"a":1}')), { a: 1 });
    assert.equal(hostValueOfQueueText(encodeQueueText('plain text')), 'plain text');
  });
});
