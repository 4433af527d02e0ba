import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFinished, type JobEvent, type JobStatus, nextJobStatus } from '../../shared/automation/jobStatus';

const finished = (status: 'succeeded' | 'failed' | 'timedOut' | 'interrupted' | 'rejected'): JobEvent => ({
  type: 'finished',
  status,
});

describe('nextJobStatus', () => {
  it('follows queued → running → a result', () => {
    assert.equal(nextJobStatus('queued', { type: 'started' }), 'running');
    for (const status of ['succeeded', 'failed', 'timedOut', 'interrupted', 'rejected'] as const) {
      assert.equal(nextJobStatus('running', finished(status)), status);
    }
  });

  it('accepts a result for a job whose start was not recorded, and expires only queued jobs', () => {
    assert.equal(nextJobStatus('queued', finished('succeeded')), 'succeeded');
    assert.equal(nextJobStatus('queued', { type: 'expired' }), 'expired');
    assert.equal(nextJobStatus('running', { type: 'expired' }), 'ignored');
  });

  it('ignores duplicates and late events for finished jobs', () => {
    const terminal: JobStatus[] = ['succeeded', 'failed', 'timedOut', 'interrupted', 'rejected', 'expired'];
    let ignored = 0;
    for (const status of terminal) {
      assert.ok(isFinished(status));
      for (const event of [
        finished('succeeded'),
        finished('failed'),
        { type: 'started' } as const,
        { type: 'expired' } as const,
      ]) {
        assert.equal(nextJobStatus(status, event), 'ignored', `${status} + ${JSON.stringify(event)}`);
        ignored++;
      }
    }
    assert.equal(ignored, 24);
    assert.equal(nextJobStatus('running', { type: 'started' }), 'ignored');
  });

  it('lets only an interrupted job be queued again', () => {
    assert.equal(nextJobStatus('interrupted', { type: 'retried' }), 'queued');
    assert.equal(nextJobStatus('failed', { type: 'retried' }), 'ignored');
    assert.equal(nextJobStatus('running', { type: 'retried' }), 'ignored');
    assert.equal(isFinished('running'), false);
  });

  it('ends in the same status whichever order the started notice and the result arrive in, and twice is once', () => {
    const apply = (events: JobEvent[]) =>
      events.reduce<JobStatus>((status, event) => {
        const next = nextJobStatus(status, event);
        return next === 'ignored' ? status : next;
      }, 'queued');
    const started: JobEvent = { type: 'started' };
    for (const status of ['succeeded', 'failed', 'timedOut', 'interrupted', 'rejected'] as const) {
      assert.equal(apply([started, finished(status)]), status);
      assert.equal(apply([finished(status), started]), status, `a late start leaves ${status}`);
      assert.equal(apply([started, started, finished(status), started, finished('succeeded')]), status);
    }
    assert.equal(apply([started, started]), 'running');
    assert.equal(nextJobStatus('expired', started), 'ignored');
  });
});
