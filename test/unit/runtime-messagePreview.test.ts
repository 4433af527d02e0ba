import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { boundedJson, PREVIEW_CHARS, previewMessage } from '../../shared/runtime/messagePreview';

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
/** Within the preview limit, plus the size note. */
const bounded = (preview: string) => preview.length <= PREVIEW_CHARS + 80;

describe('previewMessage: any shape of queue message becomes a short, readable, masked line', () => {
  it('shows base64 JSON (what our queues carry) decoded', () => {
    assert.equal(previewMessage(base64('{"mailboxId":"support"}')), '{"mailboxId":"support"}');
  });

  it('shows text that is not base64 as it is', () => {
    assert.equal(previewMessage('not base64 at all!'), 'not base64 at all!');
  });

  it('shows base64 of binary as the base64 with what it is, and raw bytes as hex with their size', () => {
    const bytes = Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 0, 0, 9, 9, 9]);
    assert.equal(
      previewMessage(base64(bytes)),
      'AAECA//+AAAAAAkJCQ== [20 characters: base64 of 13 bytes that are not text]',
    );
    assert.equal(previewMessage(bytes), 'binary: 00010203fffe00000000090909 [13 bytes]');
    const big = randomBytes(40_000);
    const preview = previewMessage(big);
    assert.match(preview, /^binary: [0-9a-f]{96}… \[40000 bytes\]$/);
  });

  it('cuts a huge message to the limit and says how big it was', () => {
    const preview = previewMessage(base64(`{"note":"${'y'.repeat(47_000)}"}`));
    assert.ok(bounded(preview), `${preview.length} characters`);
    assert.match(preview, /^\{"note":"yyyy.*… \[47011 characters\]$/);
  });

  it('walks a value nested 100,000 levels deep only as far as it shows it', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.throws(() => JSON.stringify(deep), RangeError, 'the naive way overflows the stack');
    assert.equal(previewMessage(deep), '[[[[[[[[[[[[[…]]]]]]]]]]]]]');
    const text = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    assert.ok(bounded(previewMessage(base64(text))));
  });

  it('masks known secret values and secret-shaped fragments, even one cut by the limit', () => {
    const secret = 'my-known-secret-value';
    const preview = previewMessage(
      { password: 'hunter2', authorization: 'Bearer abcdefghijklmnop', note: `token ${secret}` },
      [secret],
    );
    assert.equal(preview, '{"password":"***","authorization":"Bearer ***","note":"token ***"}');
    const cut = previewMessage(`${'z'.repeat(PREVIEW_CHARS - 5)}${secret} and more`, [secret]);
    assert.doesNotMatch(cut, /my-k|known/);
  });

  it('escapes control characters and collapses whitespace, so one preview is one safe line', () => {
    assert.equal(previewMessage('\u001b[31mred\u0000\n\n  text\t!'), '\\x1b[31mred\\x00 text !');
  });

  it('names empty and missing messages', () => {
    assert.equal(previewMessage(''), '(empty)');
    assert.equal(previewMessage(undefined), 'undefined');
    assert.equal(previewMessage(null), 'null');
    assert.equal(previewMessage(42), '42');
  });

  it('boundedJson copes with cycles, BigInts and functions, and stops at the limit', () => {
    const cyclic: Record<string, unknown> = { x: 1 };
    cyclic.self = cyclic;
    assert.equal(boundedJson(cyclic, 100), '{"x":1,"self":"[circular]"}');
    assert.equal(boundedJson({ big: 10n, f: () => 1, u: undefined }, 100), '{"big":10,"f":"[function]","u":null}');
    assert.equal(
      boundedJson(
        Array.from({ length: 1_000_000 }, () => 7),
        10,
      ),
      '[7,7,7,7,7',
    );
  });
});
