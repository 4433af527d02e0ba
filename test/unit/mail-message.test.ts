import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  displaySender,
  MESSAGE_SELECT,
  MESSAGE_SELECT_FIELDS,
  parseGraphMessage,
  senderAddress,
} from '../../shared/mail/graphMessage';
import { headerValue } from '../../shared/mail/headers';

describe('mail: Graph message shape', () => {
  it('selects every field the rules read, once, including the ones Graph returns only on request', () => {
    assert.equal(new Set(MESSAGE_SELECT_FIELDS).size, MESSAGE_SELECT_FIELDS.length);
    for (const field of ['uniqueBody', 'internetMessageHeaders', 'internetMessageId', 'parentFolderId'])
      assert.ok(MESSAGE_SELECT.split(',').includes(field), field);
    assert.equal(MESSAGE_SELECT.split(',').length, 16);
  });

  it('accepts a sparse message and keeps unknown properties', () => {
    const parsed = parseGraphMessage({ id: 'AAMk1', subject: null, from: null, isRead: true });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.id, 'AAMk1');
    assert.equal((parsed.value as Record<string, unknown>).isRead, true);
    assert.equal(senderAddress(parsed.value), undefined);
  });

  it('rejects a message with the JSON path of each problem', () => {
    const parsed = parseGraphMessage({ id: '', from: { emailAddress: { address: 5 } }, toRecipients: 'x' });
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    const paths = parsed.problems.map((p) => p.split(':')[0]);
    assert.deepEqual(paths.sort(), ['$.from.emailAddress.address', '$.id', '$.toRecipients']);
  });

  it('reads the sender from `from`, else `sender`, lower-cased', () => {
    const message = { id: '1', sender: { emailAddress: { name: 'Ann', address: ' Ann@Contoso.com ' } } };
    assert.equal(senderAddress(message), 'ann@contoso.com');
    assert.equal(displaySender(message), 'Ann <ann@contoso.com>');
  });

  it('finds headers by name case-insensitively', () => {
    const message = { id: '1', internetMessageHeaders: [{ name: 'auto-SUBMITTED', value: ' auto-replied ' }] };
    assert.equal(headerValue(message, 'Auto-Submitted'), 'auto-replied');
    assert.equal(headerValue(message, 'Precedence'), undefined);
  });
});
