import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRecord } from '../../worker/jobState';
import { killLeftoverScripts } from '../../worker/leftoverScripts';

const record = (jobId: string, overrides: Partial<JobRecord> = {}): JobRecord => ({
  jobId,
  messageId: `m-${jobId}`,
  expiresAt: '2026-12-01T12:00:00.000Z',
  phase: 'started',
  startedAt: '2026-12-01T11:00:00.000Z',
  pid: 4242,
  ...overrides,
});

describe('the restart sweep of scripts a crashed worker left running', () => {
  it('on Linux kills only groups that still hold a process of that job', () => {
    const killed: number[] = [];
    const kills = killLeftoverScripts(
      [record('alive', { pid: 100 }), record('reused', { pid: 200 }), record('finished', { phase: 'finished' })],
      {
        platform: 'linux',
        membersOf: (pgid, jobId) => (pgid === 100 && jobId === 'alive' ? [100, 101] : []),
        killGroup: (pgid) => killed.push(pgid),
      },
    );
    assert.deepEqual(killed, [100]);
    assert.deepEqual(kills, [
      { jobId: 'alive', pid: 100, outcome: 'killed' },
      { jobId: 'reused', pid: 200, outcome: 'gone' },
    ]);
  });

  it('elsewhere on POSIX kills the group when it exists; a missing group counts as gone', () => {
    const kills = killLeftoverScripts(
      [record('a', { pid: 1 }), record('b', { pid: 2 }), record('no-pid', { pid: undefined })],
      {
        platform: 'darwin',
        killGroup: (pgid) => {
          if (pgid === 2) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
        },
      },
    );
    assert.deepEqual(
      kills.map((kill) => [kill.jobId, kill.outcome]),
      [
        ['a', 'killed'],
        ['b', 'gone'],
      ],
    );
  });

  it('on Windows sweeps nothing (reused pids): the guard is what stops scripts there', () => {
    const kills = killLeftoverScripts([record('w')], {
      platform: 'win32',
      killGroup: () => assert.fail('no kill on Windows'),
    });
    assert.deepEqual(kills, [{ jobId: 'w', pid: 4242, outcome: 'skipped' }]);
  });
});
