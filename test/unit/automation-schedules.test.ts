import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleConfig } from '../../shared/automation/examples';
import { dueSchedules, scheduleRunRequest } from '../../shared/automation/schedules';
import { parseIntegrationConfig } from '../../shared/config/integration';

const nightly = exampleConfig.schedules[0]!;
const everyFiveMinutes = { ...nightly, name: 'five', cron: '0 */5 * * * *' };

describe('dueSchedules', () => {
  it('is not due before the next occurrence, and due at it', () => {
    const last = { [nightly.name]: '2024-05-01T02:00:00.000Z' };
    assert.equal(dueSchedules([nightly], last, new Date('2024-05-02T01:59:59.999Z')).runs.length, 0);
    const due = dueSchedules([nightly], last, new Date('2024-05-02T02:00:00.000Z'));
    assert.equal(due.runs.length, 1);
    assert.equal(due.runs[0]?.scheduledFor, '2024-05-02T02:00:00.000Z');
    assert.equal(due.runs[0]?.missed, 0);
    assert.equal(due.lastRuns[nightly.name], '2024-05-02T02:00:00.000Z');
    assert.equal(dueSchedules([nightly], due.lastRuns, new Date('2024-05-02T02:00:30Z')).runs.length, 0, 'once only');
  });

  it('runs only the latest occurrence after downtime and says how many it missed', () => {
    const due = dueSchedules([everyFiveMinutes], { five: '2024-05-01T10:00:00Z' }, new Date('2024-05-01T11:02:00Z'));
    assert.equal(due.runs.length, 1);
    assert.equal(due.runs[0]?.scheduledFor, '2024-05-01T11:00:00.000Z');
    assert.equal(due.runs[0]?.missed, 11);
    assert.match(due.runs[0]?.note ?? '', /missed 11/);
  });

  it('starts a schedule seen for the first time at now instead of firing it', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    const due = dueSchedules([nightly, everyFiveMinutes], {}, now);
    assert.equal(due.runs.length, 0);
    assert.deepEqual(due.lastRuns, { [nightly.name]: now.toISOString(), five: now.toISOString() });
  });

  it('reads the expression in the schedule time zone', () => {
    const london = { ...nightly, timeZone: 'Europe/London' };
    const due = dueSchedules([london], { [nightly.name]: '2024-06-30T12:00:00Z' }, new Date('2024-07-01T01:30:00Z'));
    assert.equal(due.runs[0]?.scheduledFor, '2024-07-01T01:00:00.000Z', '02:00 BST is 01:00 UTC');
  });

  it('reports an unreadable last run and resets it', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    const due = dueSchedules([nightly], { [nightly.name]: 'yesterday' }, now);
    assert.equal(due.runs.length, 0);
    assert.equal(due.problems.length, 1);
    assert.equal(due.lastRuns[nightly.name], now.toISOString());
  });
});

describe('scheduleRunRequest', () => {
  it('names the occurrence in the dedupe key and passes the fixed parameters', () => {
    const run = dueSchedules([nightly], { [nightly.name]: '2024-05-01T02:00:00Z' }, new Date('2024-05-02T02:00:01Z'))
      .runs[0]!;
    const result = scheduleRunRequest(run, exampleConfig.scripts);
    assert.ok(result.ok);
    assert.equal(result.request.script.name, 'leaver');
    assert.equal(result.request.dedupeKey, 'schedule:nightly-leaver-sweep@2024-05-02T02:00:00.000Z');
    assert.deepEqual(result.request.parameters, { Mode: 'sweep' });
    assert.equal(scheduleRunRequest(run, []).ok, false);
  });
});

describe('schedule config', () => {
  it('rejects an expression croner cannot read, at its JSON path', () => {
    assert.throws(
      () =>
        parseIntegrationConfig({
          scripts: [{ name: 's', path: 's.ps1' }],
          schedules: [{ name: 'x', cron: '0 0 25 * * *', script: 's' }],
        }),
      (error: Error) => /\$\.schedules\[0\]\.cron: is not a valid NCRONTAB expression/.test(error.message),
    );
  });
});
