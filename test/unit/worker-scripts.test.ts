import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeParametersForBootstrap, planInvocation } from '../../worker/invocation';
import { fileSha256, resolveScript } from '../../worker/scriptResolver';

let root: string;
let folder: string;
const policy = () => ({ scriptFolder: folder, pins: {}, requirePins: false });

before(() => {
  root = mkdtempSync(join(tmpdir(), 'worker-scripts-'));
  folder = join(root, 'scripts');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'hello.sh'), 'echo hi\n');
  writeFileSync(join(folder, 'sub', 'inner.py'), 'print(1)\n');
  writeFileSync(join(root, 'outside.sh'), 'echo pwned\n');
  symlinkSync(join(root, 'outside.sh'), join(folder, 'link-out.sh'));
  symlinkSync(root, join(folder, 'dir-out'));
  symlinkSync(join(folder, 'hello.sh'), join(folder, 'link-in.sh'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('resolveScript', () => {
  it('accepts scripts inside the folder, including nested ones and symlinks that stay inside', async () => {
    const hello = await resolveScript('hello.sh', policy());
    assert.ok(hello.ok);
    assert.equal(hello.sha256, await fileSha256(join(folder, 'hello.sh')));
    const nested = await resolveScript('sub/inner.py', policy());
    assert.ok(nested.ok && nested.key === 'sub/inner.py');
    assert.ok((await resolveScript('link-in.sh', policy())).ok);
  });

  it('refuses .., absolute paths, drive letters, UNC paths and symlinks pointing outside', async () => {
    const refused = [
      '../outside.sh',
      'sub/../../outside.sh',
      'sub\\..\\..\\outside.sh',
      join(root, 'outside.sh'),
      '/etc/passwd',
      'C:\\Windows\\System32\\cmd.exe',
      '\\\\server\\share\\x.ps1',
      'link-out.sh',
      'dir-out/outside.sh',
    ];
    for (const name of refused) {
      const result = await resolveScript(name, policy());
      assert.equal(result.ok, false, name);
      assert.equal(!result.ok && result.reason, 'scriptOutsideFolder', name);
    }
  });

  it('reports a missing script and refuses a directory', async () => {
    const missing = await resolveScript('nope.sh', policy());
    assert.equal(!missing.ok && missing.reason, 'scriptNotFound');
    const dir = await resolveScript('sub', policy());
    assert.equal(!dir.ok && dir.reason, 'scriptNotFound');
  });

  it('refuses a pin mismatch, and an unpinned script when pins are required', async () => {
    const good = await fileSha256(join(folder, 'hello.sh'));
    assert.ok((await resolveScript('hello.sh', { ...policy(), pins: { 'hello.sh': good } })).ok);
    const wrong = await resolveScript('hello.sh', { ...policy(), pins: { 'hello.sh': '0'.repeat(64) } });
    assert.equal(!wrong.ok && wrong.reason, 'pinMismatch');
    const unpinned = await resolveScript('sub/inner.py', { ...policy(), requirePins: true });
    assert.equal(!unpinned.ok && unpinned.reason, 'pinMismatch');
  });
});

describe('planInvocation', () => {
  const interpreters = {
    pwsh: 'pwsh',
    windowsPowerShell: 'powershell.exe',
    bash: 'bash',
    node: 'node',
    python3: 'python3',
  };
  const job = {
    jobId: 'j1',
    ticketId: 7,
    passing: 'namedParameters' as const,
    parameters: { Name: '-Force; $(whoami)', Count: 3, On: true, Gone: null },
  };
  const base = {
    job,
    interpreters,
    powershell: 'pwsh' as const,
    platform: 'linux' as NodeJS.Platform,
    bootstrapPath: '/app/worker/powershell/bootstrap.ps1',
    baseEnv: { PATH: '/usr/bin', HALO_PARAM_EVIL: 'from the worker env' },
  };

  it('runs .ps1 through the fixed bootstrap with values only in the environment', () => {
    const plan = planInvocation({ ...base, scriptPath: '/s/a.ps1' });
    assert.ok(plan.ok);
    assert.equal(plan.invocation.command, 'pwsh');
    assert.deepEqual(plan.invocation.args, [
      '-NoProfile',
      '-NonInteractive',
      '-File',
      '/app/worker/powershell/bootstrap.ps1',
    ]);
    assert.ok(!plan.invocation.args.some((arg) => arg.includes('whoami')));
    assert.equal(plan.invocation.env.HALO_BRIDGE_SCRIPT, '/s/a.ps1');
    assert.equal(
      Buffer.from(plan.invocation.env.HALO_BRIDGE_PARAMS_B64JSON!, 'base64').toString('utf8'),
      JSON.stringify(job.parameters),
    );
    assert.equal(plan.invocation.env.HALO_TICKET_ID, '7');
    const windows = planInvocation({
      ...base,
      scriptPath: 'C:\\s\\a.ps1',
      platform: 'win32',
      powershell: 'windowsPowerShell',
    });
    assert.ok(windows.ok);
    assert.equal(windows.invocation.command, 'powershell.exe');
    assert.deepEqual(windows.invocation.args.slice(0, 4), [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
    ]);
  });

  it('encodes bootstrap parameters as name:type:base64 entries', () => {
    const encoded = encodeParametersForBootstrap(job.parameters);
    const entries = encoded.split(';').map((entry) => entry.split(':'));
    assert.equal(entries.length, 4);
    assert.deepEqual(
      entries.map(([name, type, b64]) => [name, type, Buffer.from(b64!, 'base64').toString('utf8')]),
      [
        ['Name', 's', '-Force; $(whoami)'],
        ['Count', 'n', '3'],
        ['On', 'b', 'true'],
        ['Gone', 'z', ''],
      ],
    );
  });

  it('picks bash, node and python3 by extension, passing JSON on stdin and HALO_PARAM_ variables', () => {
    for (const [ext, command] of [
      ['.sh', 'bash'],
      ['.js', 'node'],
      ['.PY', 'python3'],
    ]) {
      const plan = planInvocation({ ...base, scriptPath: `/s/x${ext}` });
      assert.ok(plan.ok);
      assert.equal(plan.invocation.command, command);
      assert.deepEqual(plan.invocation.args, [`/s/x${ext}`]);
      assert.equal(plan.invocation.stdin, JSON.stringify(job.parameters));
      assert.equal(plan.invocation.env.HALO_PARAM_NAME, '-Force; $(whoami)');
      assert.equal(plan.invocation.env.HALO_PARAM_COUNT, '3');
      assert.equal(plan.invocation.env.HALO_PARAM_GONE, '');
      assert.equal(plan.invocation.env.HALO_PARAM_EVIL, undefined);
      assert.equal(plan.invocation.env.PATH, '/usr/bin');
    }
  });

  it('refuses an unknown extension', () => {
    const plan = planInvocation({ ...base, scriptPath: '/s/x.bat' });
    assert.equal(plan.ok, false);
    assert.match(!plan.ok ? plan.detail : '', /\.bat/);
  });
});
