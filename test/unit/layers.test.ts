import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports (static imports, re-exports and dynamic imports), as a path from the repo root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|[\s;}])(?:from|import)\s*\(?\s*'([^'\n]+)'/gm)].map((m) => m[1]!);
  return specifiers.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(file), s)) : s));
}

/** The imports of every file under `layer` that are not allowed. */
function violations(layer: string, allowed: readonly RegExp[]): string[] {
  return sourceFiles(join(ROOT, layer)).flatMap((file) =>
    importsOf(file)
      .filter((target) => !target.startsWith(layer) && !allowed.some((pattern) => pattern.test(target)))
      .map((target) => `${relative(ROOT, file)} imports ${target}`),
  );
}

describe('layers point down', () => {
  it('shared/runtime (the bottom: logging, masking, the function registry, the clock) imports nothing of ours', () => {
    assert.deepEqual(violations('shared/runtime', [/^node:/, /^@azure\/functions$/, /^zod$/]), []);
  });

  it('shared/storage imports only the runtime layer and the zod issue formatter, never the app or a flow', () => {
    assert.deepEqual(
      violations('shared/storage', [
        /^node:/,
        /^@azure\//,
        /^zod$/,
        /^shared\/runtime\//,
        /^shared\/config\/zodIssues$/,
      ]),
      [],
    );
  });

  it('shared/config (validation) imports nothing of ours outside shared/config and shared/runtime', () => {
    assert.deepEqual(
      violations('shared/config', [/^(?!shared\/|functions\/|dev\/|worker\/)/, /^shared\/runtime\//]),
      [],
    );
  });
});
