import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs, decideRetry, parseRetryAfterMs } from '../../shared/halo/backoff';
import { extractHaloMessage, HaloApiError } from '../../shared/halo/errors';
import { chunk, extractPage, isLastPage, writtenRecords } from '../../shared/halo/paging';
import { createTokenCache } from '../../shared/halo/token';

const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('Halo paging rules', () => {
  it('keeps paging while full pages come back and record_count is not reached', () => {
    assert.equal(isLastPage({ returned: 100, requested: 100, collected: 100, recordCount: 717 }), false);
    assert.equal(isLastPage({ returned: 100, requested: 100, collected: 700, recordCount: 717 }), false);
    assert.equal(isLastPage({ returned: 17, requested: 100, collected: 717, recordCount: 717 }), true);
  });
  it('stops on a short page, an empty page, the total, or the caller limit', () => {
    assert.equal(isLastPage({ returned: 99, requested: 100, collected: 99, recordCount: undefined }), true);
    assert.equal(isLastPage({ returned: 0, requested: 100, collected: 300, recordCount: 400 }), true);
    assert.equal(isLastPage({ returned: 100, requested: 100, collected: 200, recordCount: 200 }), true);
    assert.equal(
      isLastPage({ returned: 100, requested: 100, collected: 200, recordCount: undefined, maxRows: 150 }),
      true,
    );
    assert.equal(isLastPage({ returned: 100, requested: 100, collected: 100, recordCount: undefined }), false);
  });
  it('reads envelopes and bare arrays', () => {
    assert.deepEqual(extractPage({ record_count: 3, users: [{ id: 1 }] }, 'users'), {
      rows: [{ id: 1 }],
      recordCount: 3,
    });
    assert.deepEqual(extractPage({ record_count: 1, tickets: [{ id: 2 }] }).rows, [{ id: 2 }]);
    assert.deepEqual(extractPage([{ id: 3 }]), { rows: [{ id: 3 }], recordCount: undefined });
    assert.deepEqual(extractPage(null).rows, []);
  });
  it('chunks writes at 100', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    assert.deepEqual(
      chunk(items).map((c) => c.length),
      [100, 100, 50],
    );
    assert.deepEqual(chunk([], 100), []);
    assert.deepEqual(
      chunk(Array.from({ length: 100 }, (_, i) => i)).map((c) => c.length),
      [100],
    );
    assert.throws(() => chunk([1], 0), RangeError);
  });
  it('reads write answers as a single object, an array or nothing', () => {
    assert.deepEqual(writtenRecords({ id: 5 }), [{ id: 5 }]);
    assert.deepEqual(writtenRecords([{ id: 5 }, { id: 6 }]), [{ id: 5 }, { id: 6 }]);
    assert.deepEqual(writtenRecords(''), []);
  });
});

describe('Halo backoff rules', () => {
  it('stays within [0, min(max, base * 2^n)] (full jitter)', () => {
    for (let retry = 0; retry < 8; retry++) {
      const ceiling = Math.min(1_000, 100 * 2 ** retry);
      assert.equal(
        backoffDelayMs(retry, policy, () => 0),
        0,
      );
      assert.equal(
        backoffDelayMs(retry, policy, () => 0.999999),
        ceiling - 1,
      );
      const sample = backoffDelayMs(retry, policy);
      assert.ok(sample >= 0 && sample < ceiling);
    }
  });
  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfterMs('2', 0), 2_000);
    assert.equal(parseRetryAfterMs('0', 0), 0);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now), 5_000);
    assert.equal(parseRetryAfterMs(null, 0), undefined);
    assert.equal(parseRetryAfterMs('soon', 0), undefined);
  });
  it('retries 429, 5xx and network errors, not other 4xx, and stops at maxRetries', () => {
    for (const status of [0, 429, 500, 503]) {
      assert.equal(decideRetry({ status, retriesSoFar: 0, retryAfterMs: undefined, policy }).retry, true);
    }
    for (const status of [400, 401, 403, 404, 409]) {
      assert.equal(decideRetry({ status, retriesSoFar: 0, retryAfterMs: undefined, policy }).retry, false);
    }
    assert.equal(decideRetry({ status: 503, retriesSoFar: 5, retryAfterMs: undefined, policy }).retry, false);
  });
  it('lets Retry-After win over the backoff, capped at the maximum delay', () => {
    assert.deepEqual(decideRetry({ status: 429, retriesSoFar: 0, retryAfterMs: 300, policy, random: () => 0 }), {
      retry: true,
      delayMs: 300,
      reason: 'HTTP 429',
    });
    const capped = decideRetry({ status: 429, retriesSoFar: 0, retryAfterMs: 999_999, policy });
    assert.ok(capped.retry && capped.delayMs === 1_000);
  });
});

describe('Halo error bodies', () => {
  it('extracts the message from every shape Halo uses', () => {
    assert.equal(extractHaloMessage({ resultCode: 1, errorMessage: 'Bad thing' }), 'Bad thing');
    assert.equal(extractHaloMessage({ ClassName: 'X', Message: 'Dotnet says no' }), 'Dotnet says no');
    assert.equal(extractHaloMessage({ Message: 'Plain' }), 'Plain');
    assert.equal(extractHaloMessage({ error: 'invalid_client' }), 'invalid_client');
    assert.equal(
      extractHaloMessage({ error: 'invalid_request', error_description: 'tenant missing' }),
      'tenant missing',
    );
    assert.equal(
      extractHaloMessage('Rate Limit Reached - 300 Requests per rolling 5 minute window'),
      'Rate Limit Reached - 300 Requests per rolling 5 minute window',
    );
    assert.equal(
      extractHaloMessage('"An Outcome must be entered for this Action"'),
      'An Outcome must be entered for this Action',
    );
    assert.equal(extractHaloMessage(''), undefined);
    assert.equal(extractHaloMessage({ other: 1 }), undefined);
    assert.equal(extractHaloMessage('x'.repeat(600))?.length, 501);
  });
  it('never puts secrets or tokens into the error message', () => {
    const error = new HaloApiError({
      status: 400,
      method: 'GET',
      path: '/Users?client_secret=abc12345',
      haloMessage: 'token tok-super-secret was refused; Bearer abcdefghijkl',
      attempts: 1,
      secrets: ['tok-super-secret'],
    });
    assert.ok(!error.message.includes('tok-super-secret'));
    assert.ok(!error.message.includes('abc12345'));
    assert.ok(!error.message.includes('abcdefghijkl'));
    assert.match(error.message, /Halo GET .* failed with HTTP 400/);
  });
});

describe('Halo token cache', () => {
  it('shares one refresh between concurrent callers and refreshes after expiry or invalidation', async () => {
    let now = 0;
    let fetches = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cache = createTokenCache(
      async () => {
        fetches++;
        await gate;
        return { value: `token-${fetches}`, expiresAt: now + 1_000 };
      },
      () => now,
    );
    const pending = [cache.get(), cache.get(), cache.get()];
    release();
    assert.deepEqual(await Promise.all(pending), ['token-1', 'token-1', 'token-1']);
    assert.equal(fetches, 1);
    assert.equal(await cache.get(), 'token-1');
    now = 1_000;
    assert.equal(await cache.get(), 'token-2');
    cache.invalidate('token-1');
    assert.equal(await cache.get(), 'token-2');
    cache.invalidate('token-2');
    assert.equal(await cache.get(), 'token-3');
    assert.equal(fetches, 3);
  });
  it('lets a failed refresh be retried by the next caller', async () => {
    let calls = 0;
    const cache = createTokenCache(
      async () => {
        calls++;
        if (calls === 1) throw new Error('down');
        return { value: 'ok', expiresAt: Number.MAX_SAFE_INTEGER };
      },
      () => 0,
    );
    await assert.rejects(cache.get(), /down/);
    assert.equal(await cache.get(), 'ok');
  });
});
