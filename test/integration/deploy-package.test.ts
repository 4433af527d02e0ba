// The package azd deploys: compiled code and production dependencies only, and every function loads from it with
// plain node (no tsx, no TypeScript), as the Functions host loads it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
let out: string;
let buildOutput: string;

before(() => {
  out = mkdtempSync(join(tmpdir(), 'halo-bridge-package-'));
  buildOutput = execFileSync(process.execPath, [join(root, 'scripts', 'build-package.mjs'), '--out', out], {
    encoding: 'utf8',
    timeout: 600_000,
  });
});
after(() => rmSync(out, { recursive: true, force: true }));

describe('deploy package (npm run package)', () => {
  it('prints its size and holds no development tools', () => {
    assert.match(
      buildOutput,
      /package .+: \d+\.\d MB \(compiled code \d+\.\d MB, production dependencies \d+\.\d MB\)/,
    );
    for (const tool of ['typescript', 'tsx', 'azurite', '@biomejs', 'selfsigned', 'ajv']) {
      assert.equal(existsSync(join(out, 'node_modules', tool)), false, `${tool} is not in the package`);
    }
    assert.equal(existsSync(join(out, 'node_modules', '@azure', 'functions')), true);
    assert.equal(existsSync(join(out, 'host.json')), true);
    const sources = readdirSync(join(out, 'dist'), { recursive: true }).map(String);
    assert.deepEqual(
      sources.filter((file) => file.endsWith('.ts')),
      [],
      'no TypeScript sources',
    );
    assert.ok(!sources.some((file) => file.startsWith('test') || file.startsWith('dev')), 'no tests or dev tools');
  });

  it('loads every compiled function with plain node and registers each function file declares', () => {
    const functionFiles = readdirSync(join(root, 'functions')).filter((file) => file.endsWith('.ts'));
    const script = `
      const { readdirSync } = require('node:fs');
      const dir = './dist/functions';
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) require(require('node:path').resolve(dir, file));
      const { registeredFunctions } = require('./dist/shared/app/functions.js');
      console.log('REGISTERED ' + JSON.stringify(registeredFunctions().map((fn) => fn.name)));`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: out,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    assert.equal(run.status, 0, run.stderr);
    const line = run.stdout.split('\n').find((l) => l.startsWith('REGISTERED '));
    const names = JSON.parse(line!.slice('REGISTERED '.length)) as string[];
    assert.equal(
      readdirSync(join(out, 'dist', 'functions')).filter((f) => f.endsWith('.js')).length,
      functionFiles.length,
    );
    assert.ok(names.length >= functionFiles.length, `${names.length} functions from ${functionFiles.length} files`);
    assert.ok(names.includes('health') && names.includes('haloWebhook'), names.join());
  });
});
