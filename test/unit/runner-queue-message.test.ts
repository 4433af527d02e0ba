import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeMessageText,
  encodeMessageText,
  messageValue,
  queueTriggerMetadata,
} from '../../dev/runner/queueMessage';

describe('runner: queue message decoding', () => {
  it('decodes base64 to UTF-8 text, then JSON when it parses', () => {
    const text = decodeMessageText(
      encodeMessageText('{"mailboxId":"support@bridgemsp.com","n":"é"}', 'base64'),
      'base64',
    );
    assert.deepEqual(messageValue(text), { mailboxId: 'support@bridgemsp.com', n: 'é' });
    assert.equal(messageValue(decodeMessageText(encodeMessageText('hello', 'base64'), 'base64')), 'hello');
    assert.equal(messageValue('42'), 42);
  });

  it('rejects text that is not base64, and passes it through with messageEncoding none', () => {
    assert.throws(() => decodeMessageText('{"a":1}', 'base64'), /not valid base64/);
    assert.equal(decodeMessageText('{"a":1}', 'none'), '{"a":1}');
  });

  it('builds the trigger metadata with ISO times', () => {
    const metadata = queueTriggerMetadata(
      {
        messageId: 'id-1',
        popReceipt: 'pr-1',
        dequeueCount: 2,
        insertedOn: new Date('2025-03-01T10:00:00Z'),
        expiresOn: new Date('2025-03-08T10:00:00Z'),
        nextVisibleOn: new Date('2025-03-01T10:10:00Z'),
        messageText: 'aGk=',
      },
      'hi',
    );
    assert.deepEqual(metadata, {
      queueTrigger: 'hi',
      id: 'id-1',
      dequeueCount: 2,
      insertionTime: '2025-03-01T10:00:00.000Z',
      expirationTime: '2025-03-08T10:00:00.000Z',
      nextVisibleTime: '2025-03-01T10:10:00.000Z',
      popReceipt: 'pr-1',
    });
  });
});
