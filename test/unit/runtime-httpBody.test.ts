import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpRequest } from '@azure/functions';
import { MAX_HTTP_BODY_BYTES, readBodyText } from '../../shared/runtime/httpBody';

/** A body that counts what was read from it and whether it was cancelled; `chunks` chunks of `chunk`. */
function countingBody(chunk: Uint8Array, chunks: number) {
  const seen = { pulls: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulls >= chunks) return controller.close();
        seen.pulls++;
        controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  ); // pulled only when read
  return { body, seen };
}

describe('readBodyText', () => {
  it('returns the text of a body within the limit, multi-byte characters split across chunks included', async () => {
    const request = new HttpRequest({ method: 'POST', url: 'http://localhost/x', body: { string: '{"a":"é✓"}' } });
    assert.deepEqual(await readBodyText(request), { ok: true, text: '{"a":"é✓"}' });
    const bytes = Buffer.from('✓✓');
    const split = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 2));
        controller.enqueue(bytes.subarray(2, 5));
        controller.enqueue(bytes.subarray(5));
        controller.close();
      },
    });
    assert.deepEqual(await readBodyText({ headers: new Headers(), body: split }), { ok: true, text: '✓✓' });
    const empty = new HttpRequest({ method: 'POST', url: 'http://localhost/x' });
    assert.deepEqual(await readBodyText(empty), { ok: true, text: '' });
  });

  it('refuses from Content-Length alone, without reading the body', async () => {
    const { body, seen } = countingBody(new Uint8Array(10), 1);
    const headers = new Headers({ 'content-length': String(MAX_HTTP_BODY_BYTES + 1) });
    const result = await readBodyText({ headers, body });
    assert.deepEqual(result, {
      ok: false,
      status: 413,
      error:
        'request body too large: Content-Length 1000001 is over the limit of 1000000 bytes (1 MB) for this endpoint',
    });
    assert.equal(seen.pulls, 0);
  });

  it('without a (truthful) Content-Length, stops reading at the first chunk over the limit', async () => {
    const { body, seen } = countingBody(new Uint8Array(64 * 1024), 1000); // 64 MB on offer
    const result = await readBodyText({ headers: new Headers({ 'content-length': '10' }), body });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.status, 413);
    assert.match(
      !result.ok ? result.error : '',
      /^request body too large: the body is over the limit of 1000000 bytes/,
    );
    assert.equal(seen.pulls, Math.ceil((MAX_HTTP_BODY_BYTES + 1) / (64 * 1024)));
    assert.equal(seen.cancelled, true);
  });

  it('accepts exactly the limit and takes a smaller one when given', async () => {
    const exact = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/x',
      body: { bytes: new Uint8Array(MAX_HTTP_BODY_BYTES).fill(0x20) },
    });
    const read = await readBodyText(exact);
    assert.equal(read.ok && read.text.length, MAX_HTTP_BODY_BYTES);
    const small = new HttpRequest({ method: 'POST', url: 'http://localhost/x', body: { string: 'x'.repeat(11) } });
    assert.match(JSON.stringify(await readBodyText(small, 10)), /over the limit of 10 bytes \(10 B\)/);
  });
});
