import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';

const cli = (...args: string[]) => runCli(args);

describe('npm run cli', () => {
  it('says why `runs` is empty on the demo stack instead of printing nothing', async () => {
    const { code, stdout, stderr } = await cli('runs');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /not the one `npm start` runs/);
    assert.match(stdout, /no tenant sync runs: the demo stack's storage is in memory and new for each command/);
  });

  it('answers --help, and an unknown option or a bare `status` with the usage and exit code 2', async () => {
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: npm run cli -- sync/);
    const unknown = await cli('sync', '--frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--frobnicate'\nusage: /);
    const bare = await cli('status');
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^status needs a run id\nusage: npm run cli -- status <runId>/);
    assert.equal(bare.stdout, '');
  });
});
