import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_GRAPH_APP } from '../../dev/stack';

const root = join(__dirname, '..', '..');

function runOnce(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'launch.mjs'), 'dev/start.ts', '--once'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start -- --once', () => {
  it('runs every demo flow once, prints a summary per flow and exits 0', async () => {
    const { code, output } = await runOnce();
    assert.equal(code, 0, output);
    assert.match(output, /==== summary ====/);
    const flows = readdirSync(join(root, 'dev', 'demo', 'flows')).filter((f) => f.endsWith('.ts'));
    const ticks = output.split('\n').filter((line) => line.startsWith('✔ '));
    assert.equal(ticks.length, flows.length, output);
    assert.doesNotMatch(output, /✘|FAILED/);
    assert.match(output, /every flow ok/);

    // Nothing secret reaches the log: this run's random keys and webhook password, and the simulators' credentials.
    const keys = JSON.parse(readFileSync(join(root, '.dev', 'demo-keys.json'), 'utf8'));
    const secrets = [
      keys.functionKey,
      keys.masterKey,
      keys.haloWebhook.password,
      DEMO_GRAPH_APP.secret,
      'halo-sim-secret-not-real',
    ];
    for (const secret of secrets) {
      assert.ok(typeof secret === 'string' && secret.length >= 12);
      assert.ok(!output.includes(secret), `a secret (${secret.slice(0, 3)}…) appears in the output`);
    }
    assert.doesNotMatch(output, /BEGIN [A-Z ]*PRIVATE KEY/);
  });
});
