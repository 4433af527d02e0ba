import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIdlePoll } from '../../functions/haloScriptQueuePoll';
import { isIdleScan } from '../../functions/mailboxScan';

describe('timer logs: an idle minute is not an INFO line', () => {
  it('an empty Halo script queue is idle; a poll that queued or refused something is not', () => {
    assert.equal(isIdlePoll({ kind: 'polled', outstanding: 0, known: 0, jobs: [], refused: [] }), true);
    assert.equal(isIdlePoll({ kind: 'polled', outstanding: 1, known: 1, jobs: [], refused: [] }), false);
    assert.equal(
      isIdlePoll({ kind: 'polled', outstanding: 0, known: 0, jobs: [], refused: [{ id: 3, reason: 'no script' }] }),
      false,
    );
    assert.equal(isIdlePoll({ kind: 'covered', detail: 'another poll covers it' }), false);
  });

  it('a successful scan that saw no mail is idle; a baseline, a message or a failure is not', () => {
    assert.equal(isIdleScan({ status: 'succeeded', counts: { messages: 0 } }), true);
    assert.equal(isIdleScan({ status: 'succeeded', counts: { messages: 0, pages: 1 } }), true);
    assert.equal(isIdleScan({ status: 'succeeded', counts: { messages: 0, unreadable: 1, pages: 1 } }), false);
    assert.equal(isIdleScan({ status: 'succeeded', counts: { messages: 1, created: 1 } }), false);
    assert.equal(isIdleScan({ status: 'failed', counts: {} }), false);
  });
});
