import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PassingMethod } from '../../shared/jobs';
import { planInvocation } from '../../worker/invocation';
import { runProcessTree } from '../../worker/processTree';
import { findTool, requireTools } from '../support/tools';

const HOSTILE: Record<string, string | number | boolean | null> = {
  Quote: `'"; rm -rf / #`,
  Subst: '$(whoami)',
  Tick: '`id` and `$env:PATH`',
  Newline: 'line one\nline two\r\n',
  Dash: '-Force',
  Unicode: 'Zoë ✓ 日本',
  Empty: '',
  Big: 'x'.repeat(10 * 1024),
  Count: 42,
  Flag: true,
};
const interpreters = {
  pwsh: findTool('pwsh') ?? 'pwsh',
  windowsPowerShell: 'powershell.exe',
  bash: 'bash',
  node: process.execPath,
  python3: 'python3',
};
const BOOTSTRAP = join(__dirname, '../../worker/powershell/bootstrap.ps1');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const envText = (value: string | number | boolean | null) =>
  value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'worker-runner-'));
  // Each prints STDIN=<base64 of stdin> then NAME=<base64 of HALO_PARAM_NAME> per parameter.
  writeFileSync(
    join(dir, 'echo.sh'),
    [
      'printf "STDIN=%s\\n" "$(base64 -w0)"',
      `for name in ${Object.keys(HOSTILE)
        .map((n) => n.toUpperCase())
        .join(' ')}; do`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash indirect expansion, not a template
      '  var="HALO_PARAM_$name"; printf "%s=%s\\n" "$name" "$(printf "%s" "${!var}" | base64 -w0)"',
      'done',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'echo.js'),
    `const chunks = []; process.stdin.on('data', (c) => chunks.push(c)); process.stdin.on('end', () => {
  const stdin = Buffer.concat(chunks); console.log('STDIN=' + stdin.toString('base64'));
  for (const name of Object.keys(JSON.parse(stdin.toString('utf8')))) {
    const key = 'HALO_PARAM_' + name.toUpperCase(); console.log(name.toUpperCase() + '=' + Buffer.from(process.env[key], 'utf8').toString('base64'));
  }
});`,
  );
  writeFileSync(
    join(dir, 'echo.py'),
    `import base64, json, os, sys
data = sys.stdin.buffer.read()
print('STDIN=' + base64.b64encode(data).decode())
for name in json.loads(data.decode('utf-8')):
    value = os.environb[('HALO_PARAM_' + name.upper()).encode()]
    print(name.upper() + '=' + base64.b64encode(value).decode())
`,
  );
  const printLoop = `foreach ($n in @(${Object.keys(HOSTILE)
    .map((n) => `'${n}'`)
    .join(
      ',',
    )})) { $v = Get-Variable -Name $n -ValueOnly; '{0}={1}' -f $n.ToUpper(), [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes([string]$v)) }`;
  writeFileSync(
    join(dir, 'named.ps1'),
    `param(${Object.keys(HOSTILE)
      .map((n) => `$${n}`)
      .join(', ')})\n${printLoop}\n`,
  );
  writeFileSync(join(dir, 'vars.ps1'), `${printLoop}\n`);
  writeFileSync(join(dir, 'b64.ps1'), `param([string]$Json64)\n'B64=' + $Json64\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function runScript(script: string, passing: PassingMethod = 'namedParameters') {
  const plan = planInvocation({
    scriptPath: join(dir, script),
    job: { jobId: 'j', parameters: HOSTILE, passing },
    interpreters,
    powershell: 'pwsh',
    platform: process.platform,
    bootstrapPath: BOOTSTRAP,
    baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' },
  });
  assert.ok(plan.ok);
  return runProcessTree({
    ...plan.invocation,
    cwd: dir,
    timeoutMs: 20_000,
    outputCapBytes: 100_000,
    secrets: [],
    platform: process.platform,
  });
}

function parseLines(stdout: string): Map<string, string> {
  return new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as [string, string]),
  );
}

/** Compares without dumping 10 KB strings into the test output on failure. */
function assertSame(actual: string | undefined, expected: string, what: string): void {
  assert.ok(
    actual === expected,
    `${what}: got ${actual?.slice(0, 80)}... (${actual?.length}), want ${expected.slice(0, 80)}... (${expected.length})`,
  );
}

describe('hostile parameter values arrive byte for byte', () => {
  for (const script of ['echo.sh', 'echo.js', 'echo.py']) {
    it(`through ${script} (stdin JSON and HALO_PARAM_ variables)`, async () => {
      const outcome = await runScript(script);
      assert.equal(outcome.exitCode, 0, outcome.stderr);
      const lines = parseLines(outcome.stdout);
      assertSame(lines.get('STDIN'), b64(JSON.stringify(HOSTILE)), 'stdin');
      for (const [name, value] of Object.entries(HOSTILE))
        assertSame(lines.get(name.toUpperCase()), b64(envText(value)), name);
    });
  }

  for (const [script, passing] of [
    ['named.ps1', 'namedParameters'],
    ['vars.ps1', 'scriptVariables'],
  ] as const) {
    it(`through PowerShell ${passing}`, async (t) => {
      if (!requireTools(t, 'pwsh')) return;
      const outcome = await runScript(script, passing);
      assert.equal(outcome.exitCode, 0, outcome.stderr);
      const lines = parseLines(outcome.stdout);
      for (const [name, value] of Object.entries(HOSTILE)) {
        const expected = typeof value === 'boolean' ? (value ? 'True' : 'False') : envText(value);
        assertSame(lines.get(name.toUpperCase()), b64(expected), name);
      }
    });
  }
  it('through PowerShell base64Json', async (t) => {
    if (!requireTools(t, 'pwsh')) return;
    const outcome = await runScript('b64.ps1', 'base64Json');
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assertSame(parseLines(outcome.stdout).get('B64'), b64(JSON.stringify(HOSTILE)), 'base64 JSON');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function eventually(check: () => boolean, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return check();
}

describe('process tree', { skip: process.platform === 'win32' ? 'POSIX process groups' : false }, () => {
  it('a timeout kills the script and the grandchild it started', async () => {
    writeFileSync(
      join(dir, 'spawner.sh'),
      `( echo $BASHPID > "$HALO_PARAM_DIR/grandchild.pid"; sleep 3; echo late > "$HALO_PARAM_DIR/late.txt" ) &
echo $$ > "$HALO_PARAM_DIR/child.pid"
sleep 30
`,
    );
    const outcome = await runProcessTree({
      command: 'bash',
      args: [join(dir, 'spawner.sh')],
      env: { PATH: process.env.PATH ?? '', HALO_PARAM_DIR: dir },
      cwd: dir,
      stdin: '',
      timeoutMs: 1500,
      outputCapBytes: 1000,
      secrets: [],
      platform: process.platform,
    });
    assert.equal(outcome.timedOut, true);
    assert.equal(outcome.exitCode, null);
    const pids = ['child.pid', 'grandchild.pid'].map((f) => Number(readFileSync(join(dir, f), 'utf8')));
    assert.equal(pids.length, 2);
    assert.ok(await eventually(() => pids.every((pid) => !isAlive(pid))), `still alive: ${pids.filter(isAlive)}`);
    assert.equal(existsSync(join(dir, 'late.txt')), false);
  });

  it('keeps the tail of a large output within the cap, and masks secrets', async () => {
    writeFileSync(
      join(dir, 'loud.js'),
      `for (let i = 0; i < 20000; i++) process.stdout.write('row ' + i + ' token=hunter2pass\\n'); console.error('done');`,
    );
    const outcome = await runProcessTree({
      command: process.execPath,
      args: [join(dir, 'loud.js')],
      env: { PATH: process.env.PATH ?? '' },
      cwd: dir,
      stdin: '',
      timeoutMs: 20_000,
      outputCapBytes: 2000,
      secrets: ['hunter2pass'],
      platform: process.platform,
    });
    assert.equal(outcome.exitCode, 0);
    const [note, ...rest] = outcome.stdout.split('\n');
    assert.match(note!, /^\[output truncated/);
    assert.ok(Buffer.byteLength(rest.join('\n')) <= 2000);
    assert.ok(outcome.stdout.endsWith('row 19999 token=***\n'));
    assert.ok(!outcome.stdout.includes('hunter2pass'));
    assert.equal(outcome.stderr, 'done\n');
  });

  it('reports an interpreter that cannot start', async () => {
    const outcome = await runProcessTree({
      command: join(dir, 'no-such-interpreter'),
      args: [],
      env: {},
      cwd: dir,
      stdin: '',
      timeoutMs: 5000,
      outputCapBytes: 1000,
      secrets: [],
      platform: process.platform,
    });
    assert.match(outcome.spawnError ?? '', /ENOENT/);
    assert.equal(outcome.exitCode, null);
  });
});
