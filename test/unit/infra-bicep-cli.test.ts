import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');

/** The Bicep CLI from PATH, or where scripts/install-optional-tools.sh puts it (NuGet's linux-x64 package). */
function findBicep(): string | undefined {
  const local = join(root, '.dev', 'tools', 'bicep', 'bicep');
  if (existsSync(local)) return local;
  const which = spawnSync('sh', ['-c', 'command -v bicep'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

const bicepFiles = ['infra/main.bicep', ...readdirSync(join(root, 'infra', 'app')).map((file) => `infra/app/${file}`)];

describe('bicep build and lint', () => {
  const bicep = findBicep();
  for (const file of bicepFiles) {
    it(`${file} builds and lints with no errors`, (t) => {
      if (!bicep) {
        t.skip(
          'SKIPPED: no Bicep CLI on this machine (NuGet Azure.Bicep.CommandLine.linux-x64 or `az bicep` not available)',
        );
        return;
      }
      const out = mkdtempSync(join(tmpdir(), 'bicep-'));
      try {
        execFileSync(bicep, ['build', join(root, file), '--outdir', out], { stdio: 'pipe' });
        const lint = spawnSync(bicep, ['lint', join(root, file)], { encoding: 'utf8' });
        assert.equal(lint.status, 0, lint.stdout + lint.stderr);
        assert.doesNotMatch(lint.stdout + lint.stderr, /\bError\b/);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
