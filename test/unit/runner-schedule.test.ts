import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchedule, resolveSchedule, timerArgument } from '../../dev/runner/schedule';
import { type TimerApi, TimerSchedule } from '../../dev/runner/timerScheduler';

describe('runner: schedules', () => {
  it('resolves a whole-value %NAME% from the settings and leaves expressions alone', () => {
    assert.equal(resolveSchedule('%SCAN%', { SCAN: ' 0 */5 * * * * ' }), '0 */5 * * * *');
    assert.equal(resolveSchedule('0 0 * * * *', {}), '0 0 * * * *');
    assert.throws(() => resolveSchedule('%NOPE%', {}), /NOPE, which is not set/);
  });

  it('computes the next occurrence of six-field NCRONTAB in UTC', () => {
    const every5Minutes = compileSchedule('0 */5 * * * *');
    assert.equal(every5Minutes.next(new Date('2025-03-01T10:02:30Z'))?.toISOString(), '2025-03-01T10:05:00.000Z');
    const weekdays = compileSchedule('0 30 9 * * 1-5');
    assert.equal(weekdays.next(new Date('2025-03-01T10:00:00Z'))?.toISOString(), '2025-03-03T09:30:00.000Z');
    // Day of month and day of week must both hold: the 13th that is a Friday.
    const friday13 = compileSchedule('0 0 0 13 * 5');
    assert.equal(friday13.next(new Date('2025-01-01T00:00:00Z'))?.toISOString(), '2025-06-13T00:00:00.000Z');
    assert.throws(() => compileSchedule('0 */5 * * *'), /six-field/);
    assert.throws(() => compileSchedule('0 99 * * * *'), /invalid/);
  });

  it('marks a run past due when it starts well after its occurrence', () => {
    const scheduled = new Date('2025-03-01T10:00:00Z');
    const late = timerArgument({ scheduled, now: new Date('2025-03-01T10:00:05Z'), last: 'x', next: undefined });
    assert.equal(late.isPastDue, true);
    const onTime = timerArgument({ scheduled, now: scheduled, last: 'x', next: undefined });
    assert.equal(onTime.isPastDue, false);
  });

  it('never overlaps runs: the next occurrence is planned after a run has finished', async () => {
    let now = new Date('2025-03-01T10:00:00Z').getTime();
    const armed: { callback: () => void; ms: number }[] = [];
    const timers: TimerApi = {
      setTimeout: (callback, ms) => armed.push({ callback, ms }),
      clearTimeout: () => {},
    };
    let finish: () => void = () => {};
    let runs = 0;
    const schedule = new TimerSchedule(
      compileSchedule('* * * * * *'),
      () => {
        runs++;
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
      () => new Date(now),
      timers,
    );
    schedule.start();
    assert.equal(armed.length, 1);
    assert.equal(armed[0]!.ms, 1000);
    now += 1000;
    armed[0]!.callback();
    assert.equal(runs, 1);
    now += 3000; // the run takes 3 s: nothing else is armed meanwhile
    assert.equal(armed.length, 1);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(armed.length, 2);
    assert.equal(armed[1]!.ms, 1000);
    schedule.stop();
  });
});
