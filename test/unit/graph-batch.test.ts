import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BatchRequest,
  type BatchResponse,
  batchProblems,
  chunk,
  planBatchRetry,
  runBatches,
} from '../../shared/graph/batch';

const ok = (id: string): BatchResponse => ({ id, status: 200, headers: {} });
const throttled = (id: string, retryAfter?: string): BatchResponse => ({
  id,
  status: 429,
  headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
});

describe('graph $batch planning', () => {
  it('splits into groups of at most 20', () => {
    assert.deepEqual(
      chunk(Array.from({ length: 45 }, (_, i) => i)).map((c) => c.length),
      [20, 20, 5],
    );
    assert.deepEqual(chunk([]), []);
  });

  it('retries throttled items after the longest Retry-After', () => {
    const plan = planBatchRetry(
      [ok('a'), throttled('b', '3'), throttled('c', '7'), { id: 'd', status: 503, headers: {} }],
      0,
      3,
      1,
    );
    assert.deepEqual(plan, { retry: ['b', 'c', 'd'], waitSeconds: 7 });
  });

  it('does not retry other failures or beyond the limit', () => {
    assert.deepEqual(planBatchRetry([{ id: 'a', status: 404, headers: {} }], 0, 3), { retry: [], waitSeconds: 0 });
    assert.deepEqual(planBatchRetry([throttled('a', '1')], 3, 3), { retry: [], waitSeconds: 0 });
  });

  it('rejects duplicate ids and absolute urls', () => {
    const problems = batchProblems([
      { id: 'x', method: 'GET', url: '/users' },
      { id: 'x', method: 'GET', url: 'https://graph.microsoft.com/v1.0/users' },
    ]);
    assert.deepEqual(problems, ["requests[1].id: duplicate id 'x'", 'requests[1].url: must be relative, e.g. /users']);
  });

  it('runs rounds until no item is throttled, keeping the last answer of items that stay throttled', async () => {
    const requests: BatchRequest[] = Array.from({ length: 22 }, (_, i) => ({
      id: `r${i}`,
      method: 'GET',
      url: `/users/${i}`,
    }));
    const sent: string[][] = [];
    const sleeps: number[] = [];
    const results = await runBatches({
      requests,
      maxRetries: 2,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      send: async (batch) => {
        sent.push(batch.map((r) => r.id));
        return batch.map((r) =>
          r.id === 'r21' ? throttled(r.id, '0') : r.id === 'r1' && sent.length === 1 ? throttled(r.id, '2') : ok(r.id),
        );
      },
    });
    assert.deepEqual(
      sent.map((s) => s.length),
      [20, 2, 2, 1],
    );
    assert.deepEqual(sleeps, [2000, 0]);
    assert.equal(results.get('r1')?.status, 200);
    assert.equal(results.get('r21')?.status, 429);
    assert.equal(results.size, 22);
  });
});
