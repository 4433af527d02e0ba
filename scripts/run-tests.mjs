// Finds every test/**/*.test.ts and runs them with node's test runner under tsx. Node 20's --test does not
// expand globs, so the files are listed here. The loopback test certificate is trusted for the children.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDevTls } from './dev-tls.mjs';
import { takeSuiteLock } from './suite-lock.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = findTests(join(root, 'test'))
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
if (filters.length === 0) await takeSuiteLock();
const tls = await ensureDevTls(root);
const child = spawn(
  process.execPath,
  [
    '--require',
    './dev/functions-core-stub.cjs',
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    ...files,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath, HALO_BRIDGE_DEV_TLS_DIR: tls.dir },
  },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
