import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fallbackWindowStart,
  isBeforeBaseline,
  planScanStart,
  receivedSinceFilter,
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

  it('startFrom now: the first scan is a baseline that imports nothing', () => {
    assert.deepEqual(planScanStart({ startFrom: 'now' }, undefined, now), {
      mode: 'baseline',
      importMessages: false,
      baselineAt: '2025-03-01T12:00:00.500Z',
    });
    assert.deepEqual(planScanStart({ startFrom: 'importExisting' }, {}, now), {
      mode: 'initial',
      importMessages: true,
    });
  });

  it('continues from the deltaLink when there is one', () => {
    const start = planScanStart({ startFrom: 'now' }, { deltaLink: 'https://graph/delta?$deltatoken=x' }, now);
    assert.deepEqual(start, { mode: 'delta', deltaLink: 'https://graph/delta?$deltatoken=x', importMessages: true });
  });

  it('after a lost delta token: a window scan, never reaching back before the baseline', () => {
    const checkpoint = { baselineAt: '2025-03-01T11:50:00.000Z', lastSuccessfulScanAt: '2025-03-01T11:55:00.000Z' };
    assert.deepEqual(planScanStart({ startFrom: 'now' }, checkpoint, now, 15), {
      mode: 'window',
      since: '2025-03-01T11:50:00.000Z',
      importMessages: true,
    });
    assert.deepEqual(planScanStart({ startFrom: 'importExisting' }, checkpoint, now, 15), {
      mode: 'window',
      since: '2025-03-01T11:40:00Z',
      importMessages: true,
    });
  });

  it('skips messages from before the baseline (old mail that merely changed)', () => {
    const checkpoint = { baselineAt: '2025-03-01T11:50:00Z' };
    assert.equal(isBeforeBaseline('2025-03-01T11:49:59Z', checkpoint), true);
    assert.equal(isBeforeBaseline('2025-03-01T11:50:00Z', checkpoint), false);
    assert.equal(isBeforeBaseline('2025-03-01T11:49:59Z', {}), false);
    assert.equal(isBeforeBaseline(undefined, checkpoint), false);
  });
});
