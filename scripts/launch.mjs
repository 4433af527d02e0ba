// Runs a TypeScript entry point (dev stack, bench, worker, CLI) under tsx with the loopback test certificate
// trusted. NODE_EXTRA_CA_CERTS is only read when Node starts, so it has to be set here, before the child starts.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDevTls } from './dev-tls.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/launch.mjs <entry.ts> [args...]');
  process.exit(2);
}
const tls = await ensureDevTls(root);
const child = spawn(
  process.execPath,
  ['--require', join(root, 'dev/functions-core-stub.cjs'), '--import', 'tsx', join(root, entry), ...args],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath, HALO_BRIDGE_DEV_TLS_DIR: tls.dir },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
