import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fallbackWindowStart,
  isBeforeBaseline,
  planScanStart,
  receivedSinceFilter,
  resyncRound,
} from '../../shared/mail/scanWindow';

const now = new Date('2025-03-01T12:00:00.500Z');

describe('mail: scan start and fallback window', () => {
  it('the window starts at the last successful scan minus the overlap', () => {
    assert.equal(fallbackWindowStart('2025-03-01T11:00:00.000Z', now, 15), '2025-03-01T10:45:00Z');
    assert.equal(fallbackWindowStart('2025-03-01T11:00:00.999Z', now, 0), '2025-03-01T11:00:00Z');
  });

  it('never starts in the future, and falls back to now minus overlap without a usable timestamp', () => {
    assert.equal(fallbackWindowStart('2025-03-02T00:00:00Z', now, 10), '2025-03-01T11:50:00Z');
    assert.equal(fallbackWindowStart(undefined, now, 10), '2025-03-01T11:50:00Z');
    assert.equal(fallbackWindowStart('not a date', now, 10), '2025-03-01T11:50:00Z');
    assert.throws(() => fallbackWindowStart(undefined, now, -1), RangeError);
  });

  it('builds the delta filter', () => {
    assert.equal(receivedSinceFilter('2025-03-01T10:45:00Z'), 'receivedDateTime ge 2025-03-01T10:45:00Z');
  });

  it('startFrom now: the first scan is a baseline round over the mail received from now on', () => {
    assert.deepEqual(planScanStart({ startFrom: 'now' }, undefined, now), {
      round: { mode: 'baseline', startedAt: '2025-03-01T12:00:00.500Z', since: '2025-03-01T12:00:00Z', pages: 0 },
      resumed: false,
      baselineAt: '2025-03-01T12:00:00.500Z',
    });
    assert.deepEqual(planScanStart({ startFrom: 'importExisting' }, {}, now), {
      round: { mode: 'initial', startedAt: '2025-03-01T12:00:00.500Z', pages: 0 },
      resumed: false,
    });
  });

  it('continues from the deltaLink when there is one, and an unfinished round before anything else', () => {
    const start = planScanStart({ startFrom: 'now' }, { deltaLink: 'https://graph/delta?$deltatoken=x' }, now);
    assert.deepEqual(start.round, {
      mode: 'delta',
      startedAt: '2025-03-01T12:00:00.500Z',
      link: 'https://graph/delta?$deltatoken=x',
      pages: 0,
    });
    const round = { mode: 'window' as const, startedAt: '2025-03-01T11:00:00Z', since: 'x', link: 'next', pages: 3 };
    const resumed = planScanStart({ startFrom: 'now' }, { deltaLink: 'old', round }, now);
    assert.deepEqual(resumed, { round, resumed: true });
  });

  it('after a lost delta token: a window round, never reaching back before the baseline', () => {
    const checkpoint = { baselineAt: '2025-03-01T11:50:00.000Z', lastSuccessfulScanAt: '2025-03-01T11:55:00.000Z' };
    assert.deepEqual(planScanStart({ startFrom: 'now' }, checkpoint, now, 15).round, {
      mode: 'window',
      startedAt: '2025-03-01T12:00:00.500Z',
      since: '2025-03-01T11:50:00Z',
      pages: 0,
    });
    assert.deepEqual(
      planScanStart({ startFrom: 'importExisting' }, checkpoint, now, 15).round.since,
      '2025-03-01T11:40:00Z',
    );
    assert.deepEqual(resyncRound({ startFrom: 'now' }, checkpoint, now, 15), {
      mode: 'window',
      startedAt: '2025-03-01T12:00:00.500Z',
      since: '2025-03-01T11:50:00Z',
      pages: 0,
    });
    assert.equal(resyncRound({ startFrom: 'importExisting' }, {}, now).mode, 'initial', 'an interrupted first import');
  });

  it('skips messages from before the baseline (old mail that merely changed)', () => {
    const checkpoint = { baselineAt: '2025-03-01T11:50:00Z' };
    assert.equal(isBeforeBaseline('2025-03-01T11:49:59Z', checkpoint), true);
    assert.equal(isBeforeBaseline('2025-03-01T11:50:00Z', checkpoint), false);
    assert.equal(isBeforeBaseline('2025-03-01T11:49:59Z', {}), false);
    assert.equal(isBeforeBaseline(undefined, checkpoint), false);
  });
});
