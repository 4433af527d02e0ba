// Builds what azd deploys to the Function App: the compiled code (functions/, shared/), host.json and production
// dependencies only — no TypeScript, tsx, Azurite, Biome or tests. `npm run package [-- --out <dir>]`; default deploy/.
// Prints the package's size. azure.yaml runs it as the api service's prepackage hook.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = resolve(root, outArg > 0 ? process.argv[outArg + 1] : 'deploy');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

mkdirSync(out, { recursive: true });
for (const entry of readdirSync(out, { withFileTypes: true }).filter((e) => e.name !== '.gitignore')) {
  rmSync(join(out, entry.name), { recursive: true, force: true });
}
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.package.json'), '--outDir', join(out, 'dist')], {
  stdio: 'inherit',
});
cpSync(join(root, 'host.json'), join(out, 'host.json'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: manifest.name,
      version: manifest.version,
      private: true,
      main: 'dist/functions/*.js',
      engines: manifest.engines,
      dependencies: manifest.dependencies,
    },
    null,
    2,
  )}\n`,
);
cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
// npm install (not ci) prunes the copied lock to the production dependencies, keeping their locked versions.
execFileSync(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], {
  cwd: out,
  stdio: ['ignore', 'ignore', 'inherit'],
});

function size(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + size(join(path, name)), 0);
}
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(
  `package ${out}: ${mb(size(out))} (compiled code ${mb(size(join(out, 'dist')))}, production dependencies ${mb(size(join(out, 'node_modules')))})`,
);
