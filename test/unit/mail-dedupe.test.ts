import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mailDedupeKeys } from '../../shared/mail/dedupe';

describe('mail: de-duplication keys', () => {
  it('the Message-ID key ignores angle brackets and case, and is table-key safe', () => {
    const [a] = mailDedupeKeys('support', { id: 'g1', internetMessageId: '<ABC/x#1?@Contoso.com>' });
    const [b] = mailDedupeKeys('billing', { id: 'g2', internetMessageId: 'abc/x#1?@contoso.com' });
    assert.equal(a, b);
    assert.match(a!, /^imid-[0-9a-f]{64}$/);
  });

  it('falls back to the Graph id, scoped to the mailbox', () => {
    const keys = mailDedupeKeys('support', { id: 'g1', internetMessageId: null });
    assert.equal(keys.length, 1);
    assert.match(keys[0]!, /^gid-[0-9a-f]{64}$/);
    assert.notEqual(keys[0], mailDedupeKeys('billing', { id: 'g1' })[0]);
    assert.equal(mailDedupeKeys('support', { id: 'g1', internetMessageId: '<m@x>' }).length, 2);
  });
});
