import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireTools } from '../support/tools';

const root = join(__dirname, '..', '..');

function bicepFilesUnder(base: string, dir = base): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return bicepFilesUnder(base, path);
    return entry.name.endsWith('.bicep') ? [relative(base, path)] : [];
  });
}

/** One bicep process for all files (`--pattern`): each file's own process costs 4–5 s on a shared machine. */
function bicep(path: string, args: string[], cwd: string) {
  const run = spawnSync(path, args, { cwd, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe('bicep build and lint of every file under infra/', () => {
  const infra = join(root, 'infra');
  const files = bicepFilesUnder(infra);
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'bicep-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('finds the templates', () => assert.ok(files.includes('main.bicep') && files.length > 5, files.join()));

  it('every file builds to ARM JSON', (t) => {
    const tools = requireTools(t, 'bicep');
    if (!tools) return;
    const build = bicep(tools.bicep, ['build', '--pattern', '**/*.bicep', '--outdir', out], infra);
    assert.equal(build.status, 0, build.output);
    for (const file of files) assert.ok(existsSync(join(out, file.replace(/\.bicep$/, '.json'))), file);
  });

  it('every file lints with no errors and no warnings', (t) => {
    const tools = requireTools(t, 'bicep');
    if (!tools) return;
    const lint = bicep(tools.bicep, ['lint', '--pattern', '**/*.bicep'], infra);
    assert.equal(lint.status, 0, lint.output);
    assert.equal(lint.output, '', 'bicep lint reported findings');
  });

  it('the lint check has teeth: an unused parameter is reported', (t) => {
    const tools = requireTools(t, 'bicep');
    if (!tools) return;
    writeFileSync(join(out, 'bad.bicep'), "param unused string\noutput x string = 'y'\n");
    const lint = bicep(tools.bicep, ['lint', join(out, 'bad.bicep')], out);
    assert.match(lint.output, /no-unused-params/);
  });
});
