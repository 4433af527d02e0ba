import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetChart } from '../../shared/console/html/chart';
import { budgetView, type HaloBudgetMinute, summarise } from '../../shared/console/views/budget';

const NOW = new Date('2025-03-01T12:03:30Z');
const limit = { requests: 300, windowSeconds: 300 };

describe('console: the Halo budget chart', () => {
  it('buckets minutes into budget windows per flow, every window present, with the 429s', () => {
    const minutes: HaloBudgetMinute[] = [
      { minute: '2025-03-01T12:00:00Z', flow: 'mail', requests: 10, throttled: 0 },
      { minute: '2025-03-01T12:01:00Z', flow: 'mail', requests: 5, throttled: 0 },
      { minute: '2025-03-01T12:02:00Z', flow: 'tenant-sync', requests: 290, throttled: 3 },
      { minute: '2025-03-01T11:58:00Z', flow: 'automation', requests: 2, throttled: 0 },
      { minute: '2025-02-27T00:00:00Z', flow: 'mail', requests: 99, throttled: 0 },
    ];
    const until = new Date('2025-03-01T12:05:00Z');
    const since = new Date(until.getTime() - 24 * 3_600_000);
    const view = summarise(minutes, since, until, limit, 5);
    assert.equal(view.buckets.length, 288);
    assert.equal(view.limitPerBucket, 300);
    assert.deepEqual(view.flows, ['automation', 'mail', 'tenant-sync']);
    const last = view.buckets[287]!;
    assert.equal(last.start, '2025-03-01T12:00:00.000Z');
    assert.deepEqual(last.byFlow, { mail: 15, 'tenant-sync': 290 });
    assert.equal(last.total, 305);
    assert.equal(last.throttled, 3);
    assert.equal(view.buckets[286]!.byFlow.automation, 2);
    assert.equal(view.totals.requests, 307, 'the minute outside the 24 hours is left out');
    assert.ok(Math.abs(view.totals.peakShare - 305 / 300) < 1e-9);
  });

  it('scales the limit to the window when the budget is not per 5 minutes', () => {
    const until = new Date('2025-03-01T12:00:00Z');
    const view = summarise([], new Date(until.getTime() - 3_600_000), until, { requests: 600, windowSeconds: 600 }, 5);
    assert.equal(view.limitPerBucket, 300);
    assert.equal(view.buckets.length, 12);
  });

  it('draws one path per flow, the budget line and the 429 marks, with no inline style', async () => {
    const history = {
      limit,
      minutes: async () => [
        { minute: '2025-03-01T12:00:00Z', flow: 'mail', requests: 40, throttled: 0 },
        { minute: '2025-03-01T12:01:00Z', flow: 'tenant-sync', requests: 280, throttled: 2 },
        { minute: '2025-03-01T09:00:00Z', flow: 'mail<script>', requests: 1, throttled: 0 },
      ],
    };
    const view = await budgetView(history, NOW);
    assert.equal(view.available, true);
    const svg = budgetChart(view).text;
    assert.equal((svg.match(/<path class="s\d"/g) ?? []).length, 3);
    assert.match(svg, /<path class="limit" d="M44 /);
    assert.equal((svg.match(/class="throttled"/g) ?? []).length, 1);
    assert.doesNotMatch(svg, /style=/);
    assert.doesNotMatch(svg, /<script>/, 'flow names are escaped');
    assert.ok(svg.length < 40_000, `${svg.length} characters`);
  });

  it('says so when no budget history is recorded', async () => {
    const view = await budgetView(undefined, NOW);
    assert.equal(view.available, false);
    assert.match(view.reason ?? '', /not enabled/);
  });
});
