import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { ConfigError } from '../../shared/config/zodIssues';

/** The problems of a document that must fail, as `$.path: message` lines. */
function problemsOf(document: unknown): string[] {
  try {
    parseIntegrationConfig(document);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return [...error.problems];
  }
  assert.fail('expected a ConfigError');
}

describe('integration config: retention', () => {
  it('defaults every window when the section is absent or empty', () => {
    const expected = {
      runsDays: 90,
      mailLogDays: 90,
      jobsDays: 90,
      queueFailuresDays: 90,
      haloUsageDays: 7,
      dedupeDays: 30,
      maxDeletesPerTable: 5_000,
    };
    assert.deepEqual(parseIntegrationConfig({}).retention, expected);
    assert.deepEqual(parseIntegrationConfig({ retention: {} }).retention, expected);
  });

  it('keeps what is set and defaults the rest', () => {
    const { retention } = parseIntegrationConfig({ retention: { runsDays: 1, dedupeDays: 7, jobsDays: 3650 } });
    assert.equal(retention.runsDays, 1);
    assert.equal(retention.dedupeDays, 7);
    assert.equal(retention.jobsDays, 3650);
    assert.equal(retention.mailLogDays, 90);
  });

  it('keeps dedupe keys at least 7 days (longer than any retry or redelivery window)', () => {
    const problems = problemsOf({ retention: { dedupeDays: 6 } });
    assert.deepEqual(problems, ['$.retention.dedupeDays: must be at least 7 days']);
  });

  it('names the JSON path of each bad value', () => {
    const problems = problemsOf({
      retention: { runsDays: 0, mailLogDays: 1.5, jobsDays: '90', queueFailuresDays: 5000, maxDeletesPerTable: 10 },
    });
    const paths = problems.map((p) => p.split(':')[0]).sort();
    assert.deepEqual(paths, [
      '$.retention.jobsDays',
      '$.retention.mailLogDays',
      '$.retention.maxDeletesPerTable',
      '$.retention.queueFailuresDays',
      '$.retention.runsDays',
    ]);
    assert.ok(problems.includes('$.retention.runsDays: must be at least 1 day'), problems.join('\n'));
    assert.ok(problems.includes('$.retention.mailLogDays: must be a whole number of days'), problems.join('\n'));
    assert.ok(problems.includes('$.retention.queueFailuresDays: must be at most 3650 days'), problems.join('\n'));
  });

  it('rejects unknown keys (a misspelt window must not silently fall back to the default)', () => {
    const problems = problemsOf({ retention: { dedupDays: 10 } });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^\$\.retention/);
    assert.match(problems[0]!, /dedupDays/);
  });
});
