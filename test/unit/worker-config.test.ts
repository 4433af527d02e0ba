import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../shared/config/zodIssues';
import { parseWorkerConfig } from '../../worker/config';
import { OutputTail } from '../../worker/outputTail';
import { linuxInstallPlan, systemdUnit, windowsInstallScript, winswServiceXml } from '../../worker/serviceInstall';

const valid = {
  workerId: 'srv-01',
  workerGroup: 'default',
  queue: { connectionString: 'UseDevelopmentStorage=true' },
  scriptFolder: 'scripts',
  cloudPublicKeys: ['MCowBQYDK2VwAyEA'],
  privateKeyFile: 'keys/worker.key',
  stateDirectory: '/var/lib/halo-worker',
};

describe('worker config', () => {
  it('applies defaults and resolves relative paths against the config folder', () => {
    const config = parseWorkerConfig(valid, '/etc/halo-worker');
    assert.equal(config.scriptFolder, '/etc/halo-worker/scripts');
    assert.equal(config.privateKeyFile, '/etc/halo-worker/keys/worker.key');
    assert.equal(config.stateDirectory, '/var/lib/halo-worker');
    assert.equal(config.concurrency, 2);
    assert.equal(config.interpreters.pwsh, 'pwsh');
    assert.equal(config.poll.idleMaxMs, 30_000);
  });

  it('accepts the shipped example config', () => {
    const example = JSON.parse(readFileSync(join(__dirname, '../../worker/examples/worker.config.json'), 'utf8'));
    const config = parseWorkerConfig(example, '/srv/halo-worker');
    // Production storage refuses shared keys and SAS: the example signs in with the server's managed identity.
    assert.deepEqual(config.queue, {
      serviceUrl: 'https://yourstorageaccount.queue.core.windows.net',
      identity: { kind: 'managedIdentity' },
    });
    assert.ok(!JSON.stringify(example).match(/sasToken|connectionString|AccountKey/));
    assert.equal(config.scripts['new-starter.ps1']?.powershell, 'windowsPowerShell');
    assert.equal(config.scriptFolder, '/srv/halo-worker/scripts');
  });

  it('names the JSON path of every problem', () => {
    const broken = {
      ...valid,
      workerGroup: 'Bad Group',
      queue: { serviceUrl: 'not a url', sasToken: 'sv=x' },
      scripts: { 'a.ps1': { sha256: 'abc' } },
      poll: { busyMs: 5000 },
      interpreters: { pwsh: '' },
      surprise: true,
    };
    assert.throws(
      () => parseWorkerConfig(broken, '/'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.problems.join('\n');
        for (const path of [
          'workerGroup',
          'queue.serviceUrl',
          'scripts.a.ps1.sha256',
          'poll.busyMs',
          'interpreters.pwsh',
          '(root)',
        ]) {
          assert.ok(text.includes(`${path}:`), `missing ${path} in\n${text}`);
        }
        return true;
      },
    );
    assert.throws(() => parseWorkerConfig({ ...valid, cloudPublicKeys: [] }, '/'), /cloudPublicKeys:/);
  });
});

describe('OutputTail', () => {
  it('keeps the tail within the cap and says how much was cut', () => {
    const tail = new OutputTail(1000);
    for (let i = 0; i < 2000; i++) tail.push(Buffer.from(`line ${String(i).padStart(5, '0')}\n`));
    const text = tail.text([]);
    const [note, ...rest] = text.split('\n');
    assert.match(note!, /^\[output truncated: first \d+ bytes not kept\]$/);
    const kept = rest.join('\n');
    assert.ok(Buffer.byteLength(kept) <= 1000);
    assert.ok(kept.endsWith('line 01999\n'));
    assert.equal(Number(note!.match(/\d+/)![0]) + Buffer.byteLength(kept), 2000 * 11);
  });

  it('masks secrets even when one straddles the cut, and redacts secret-shaped text', () => {
    const tail = new OutputTail(300);
    tail.push(Buffer.from(`${'x'.repeat(1000)}S3cretValue!`));
    tail.push(Buffer.from(`${'y'.repeat(290)}\nAuthorization: Bearer abcdefghijklmnop\n`));
    const text = tail.text(['S3cretValue!']);
    assert.ok(!text.includes('S3cret') && !text.includes('Value!'));
    assert.ok(!text.includes('abcdefghijklmnop'));
    assert.ok(text.includes('Bearer ***'));
  });
});

describe('service install', () => {
  const options = {
    appRoot: '/opt/halo-bridge',
    nodePath: '/usr/bin/node',
    configPath: '/etc/halo-worker/worker.config.json',
    scriptFolder: '/opt/halo-scripts',
    stateDirectory: '/var/lib/halo-worker',
    privateKeyFile: '/etc/halo-worker/worker.key',
  };

  it('writes a hardened systemd unit running as a dedicated user', () => {
    const unit = systemdUnit(options);
    for (const line of [
      'User=halo-worker',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'KillMode=control-group',
      'ReadWritePaths="/var/lib/halo-worker"',
      'ExecStart="/usr/bin/node" "--import" "tsx" "/opt/halo-bridge/worker/cli.ts" "run" "--config" "/etc/halo-worker/worker.config.json"',
      'WantedBy=multi-user.target',
    ]) {
      assert.ok(unit.split('\n').includes(line), `missing: ${line}`);
    }
    assert.ok(!/^User=root/m.test(unit));
    assert.match(systemdUnit({ ...options, configPath: '/etc/a b/100%$x.json' }), /"\/etc\/a b\/100%%\$\$x\.json"/);
  });

  it('writes WorkingDirectory unquoted (systemd takes it literally: a quoted path is "not absolute")', () => {
    const lines = systemdUnit({ ...options, appRoot: '/opt/halo bridge/100%' }).split('\n');
    assert.ok(lines.includes('WorkingDirectory=/opt/halo bridge/100%%'), lines.join('\n'));
    assert.ok(!lines.some((line) => line.startsWith('WorkingDirectory="')));
    assert.throws(() => systemdUnit({ ...options, appRoot: '/opt/a\nExecStartPre=/bin/sh' }), /line break/);
  });

  it('plans user creation, key and config permissions and enabling the unit, in order', () => {
    const steps = linuxInstallPlan(options);
    const commands = steps.map((s) => (s.kind === 'command' ? s.command : `file:${s.path}`));
    assert.deepEqual(commands, [
      'useradd',
      'install',
      'chown',
      'chmod',
      'chown',
      'chmod',
      'file:/etc/systemd/system/halo-bridge-worker.service',
      'systemctl',
      'systemctl',
    ]);
  });

  it('restricts the key to the worker (0400) and the config to root:halo-worker 0640, before the unit starts', () => {
    const steps = linuxInstallPlan(options);
    const commandsOn = (path: string) =>
      steps.flatMap((s, index) =>
        s.kind === 'command' && s.args.at(-1) === path ? [{ index, line: [s.command, ...s.args].join(' ') }] : [],
      );
    const enableAt = steps.findIndex((s) => s.kind === 'command' && s.args.includes('--now'));
    assert.deepEqual(
      commandsOn(options.privateKeyFile).map((c) => c.line),
      ['chown halo-worker:halo-worker /etc/halo-worker/worker.key', 'chmod 0400 /etc/halo-worker/worker.key'],
    );
    assert.deepEqual(
      commandsOn(options.configPath).map((c) => c.line),
      ['chown root:halo-worker /etc/halo-worker/worker.config.json', 'chmod 0640 /etc/halo-worker/worker.config.json'],
    );
    for (const { index } of [...commandsOn(options.privateKeyFile), ...commandsOn(options.configPath)]) {
      assert.ok(index < enableAt, 'permissions are set before the service starts');
    }
    const custom = linuxInstallPlan({ ...options, serviceUser: 'svc-halo' });
    assert.ok(
      custom.some((s) => s.kind === 'command' && s.command === 'chown' && s.args[0] === 'root:svc-halo'),
      'the group is the service account',
    );
  });

  it('on Windows, strips inherited access from the key and the config and grants the service account read only', () => {
    const script = windowsInstallScript(options, 'C:\\svc');
    const icaclsOf = (path: string) => script.split('\n').filter((line) => line.startsWith(`& icacls.exe '${path}'`));
    for (const path of [options.privateKeyFile, options.configPath]) {
      const lines = icaclsOf(path);
      assert.equal(lines.length, 1, `one icacls line for ${path}`);
      assert.match(lines[0]!, / \/inheritance:r \/grant:r "\$\(\$account\):R" "Administrators:F" "SYSTEM:F"$/);
    }
    assert.match(script, /icacls on the worker config failed/);
  });

  it('installs on Windows under the virtual account NT SERVICE\\HaloBridgeWorker', () => {
    const script = windowsInstallScript({ ...options, appRoot: "C:\\Program Files\\halo-bridge's" }, 'C:\\svc');
    assert.match(script, /\$account = 'NT SERVICE\\HaloBridgeWorker'/);
    assert.match(script, /sc\.exe config \$name obj= \$account/);
    assert.match(script, /halo-bridge''s/);
    assert.match(winswServiceXml(options), /<arguments>--import tsx \/opt\/halo-bridge\\worker\\cli\.ts run --config/);
  });
});
