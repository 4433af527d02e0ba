import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';

const cli = (...args: string[]) => runCli(args);

describe('npm run cli', () => {
  it('answers --help with every command, and wrong usage with the usage and exit code 2 before starting anything', async () => {
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: npm run cli -- sync/);
    for (const command of ['status', 'runs', 'jobs', 'mail-log', 'failures', 'config', 'check']) {
      assert.match(help.stdout, new RegExp(`\\| ${command}\\b`), command);
    }
    const unknown = await cli('sync', '--frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--frobnicate'\nusage: /);
    const noValue = await cli('status', '--kind');
    assert.equal(noValue.code, 2);
    assert.match(noValue.stderr, /--kind.*argument missing\nusage: npm run cli -- status /);
    const badQuery = await cli('mail-log', '--since', 'yesterday');
    assert.equal(badQuery.code, 2);
    assert.match(badQuery.stderr, /^invalid options: --since: must be a date \(YYYY-MM-DD\) or an ISO 8601 time/);
    assert.equal(badQuery.stdout, '', 'refused before reading anything');
  });
});
