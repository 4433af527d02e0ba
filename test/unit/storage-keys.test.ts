import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromJsonProperty, MAX_PROPERTY_CHARS, toJsonProperty, truncateText } from '../../shared/storage/json';
import { newestFirstKey, safeKey } from '../../shared/storage/keys';

describe('safeKey', () => {
  it('encodes the characters Azure Tables forbids, and % itself', () => {
    assert.equal(safeKey('a/b\\c#d?e%f'), 'a%2Fb%5Cc%23d%3Fe%25f');
    assert.equal(safeKey('tab\there\u0000\u007f\u0085'), 'tab%09here%00%7F%85');
    assert.equal(safeKey('plain-Key_1.2@x.com'), 'plain-Key_1.2@x.com');
  });

  it('keeps different texts apart', () => {
    const texts = ['a/b', 'a#b', 'a%2Fb', 'a?b', 'a\\b', 'a b'];
    assert.equal(new Set(texts.map(safeKey)).size, texts.length);
  });

  it('cuts long text and adds a hash of the whole', () => {
    const base = 'x'.repeat(2000);
    const one = safeKey(`${base}1`);
    const two = safeKey(`${base}2`);
    assert.ok(one.length <= 512);
    assert.notEqual(one, two);
    assert.match(one, /~~[0-9a-f]{32}$/);
  });
});

describe('newestFirstKey', () => {
  it('sorts later times first', () => {
    const early = newestFirstKey(new Date('2024-01-01T00:00:00Z'), 'a');
    const late = newestFirstKey(new Date('2025-06-01T00:00:00Z'), 'a');
    assert.deepEqual([early, late].sort(), [late, early]);
  });
});

describe('table property helpers', () => {
  it('truncates text with a visible marker within the limit', () => {
    const text = 'y'.repeat(50_000);
    const cut = truncateText(text, 1_000);
    assert.equal(cut.length, 1_000);
    assert.match(cut, /truncated 49000 of 50000 characters/);
    assert.equal(truncateText('short', 1_000), 'short');
  });

  it('replaces JSON that does not fit with a marker object that still parses', () => {
    const big = { items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `"quoted" ${i}` })) };
    const stored = toJsonProperty(big);
    assert.ok(stored.length <= MAX_PROPERTY_CHARS);
    const back = fromJsonProperty(stored) as { $truncated: boolean; originalChars: number };
    assert.equal(back.$truncated, true);
    assert.equal(back.originalChars, JSON.stringify(big).length);
    assert.deepEqual(fromJsonProperty(toJsonProperty({ a: 1 })), { a: 1 });
    assert.equal(fromJsonProperty('not json'), undefined);
  });
});
