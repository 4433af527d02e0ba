// The layers point down: config validation needs nothing from the domains that use the config.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => relative(root, resolve(file, '..', m[1]!)));
}

describe('layers', () => {
  it('shared/config imports nothing outside shared/config and shared/runtime', () => {
    const offending = sourceFiles(join(root, 'shared', 'config')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => !target.startsWith('shared/config') && !target.startsWith('shared/runtime'))
        .map((target) => `${relative(root, file)} -> ${target}`),
    );
    assert.deepEqual(offending, []);
  });
});
