import { dirname } from 'node:path';

export interface ServiceInstallOptions {
  /** Absolute paths: the repository (holds node_modules and worker/cli.ts), node, the config file. */
  readonly appRoot: string;
  readonly nodePath: string;
  readonly configPath: string;
  readonly scriptFolder: string;
  readonly stateDirectory: string;
  readonly privateKeyFile: string;
  /** Linux account name / Windows service name. */
  readonly serviceUser?: string;
  readonly serviceName?: string;
}

/** One thing the installer does: write a file or run a command (argument array, no shell). */
export type InstallStep =
  | { readonly kind: 'file'; readonly path: string; readonly content: string; readonly mode: number }
  | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[]; readonly why: string };

const LINUX_USER = 'halo-worker';
const LINUX_SERVICE = 'halo-bridge-worker';
const WINDOWS_SERVICE = 'HaloBridgeWorker';

/** systemd quoting: double quotes, with backslash, quote, `%` and `$` escaped. */
function systemdQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * A single-path setting (WorkingDirectory=): systemd takes the value literally, so quotes would become part of the
 * path ("path is not absolute", and the unit does not load). Only `%` specifiers are escaped; spaces are fine.
 */
function systemdPath(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`a path with a line break cannot be written into a systemd unit: ${value}`);
  return value.replace(/%/g, '%%');
}

/**
 * A systemd unit that runs the worker as a dedicated system user with no privileges: read-only file system except
 * the state directory, no home, private /tmp and devices, no capabilities, no new privileges. KillMode=control-group
 * makes a stop take down running scripts too (they are reported `interrupted` on the next start).
 */
export function systemdUnit(options: ServiceInstallOptions): string {
  const user = options.serviceUser ?? LINUX_USER;
  const exec = [
    options.nodePath,
    '--import',
    'tsx',
    `${options.appRoot}/worker/cli.ts`,
    'run',
    '--config',
    options.configPath,
  ];
  return `[Unit]
Description=halo-bridge hybrid worker (runs Halo automation scripts)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${user}
Group=${user}
WorkingDirectory=${systemdPath(options.appRoot)}
ExecStart=${exec.map(systemdQuote).join(' ')}
Restart=on-failure
RestartSec=5
KillMode=control-group
TimeoutStopSec=90
UMask=0077

NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
LockPersonality=yes
SystemCallArchitectures=native
ReadWritePaths=${systemdQuote(options.stateDirectory)}
ReadOnlyPaths=${systemdQuote(options.scriptFolder)} ${systemdQuote(dirname(options.privateKeyFile))}

[Install]
WantedBy=multi-user.target
`;
}

export function linuxInstallPlan(options: ServiceInstallOptions): InstallStep[] {
  const user = options.serviceUser ?? LINUX_USER;
  const unitPath = `/etc/systemd/system/${options.serviceName ?? LINUX_SERVICE}.service`;
  const service = options.serviceName ?? LINUX_SERVICE;
  return [
    {
      kind: 'command',
      command: 'useradd',
      args: ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', user],
      why: `create the dedicated low-privilege account ${user} (fails harmlessly if it exists)`,
    },
    {
      kind: 'command',
      command: 'install',
      args: ['-d', '-m', '0700', '-o', user, '-g', user, options.stateDirectory],
      why: 'the state directory, writable only by the worker',
    },
    // The private key stays owned by the worker account, mode 0400 (what `keygen` writes, minus write): a secret
    // that no one else needs, so no group may read it (root:halo-worker 0640 would hand it to anyone later added to
    // the group). Owning it gives the worker nothing more: the unit mounts the key's folder read-only.
    {
      kind: 'command',
      command: 'chown',
      args: [`${user}:${user}`, options.privateKeyFile],
      why: 'the private key, readable only by the worker',
    },
    { kind: 'command', command: 'chmod', args: ['0400', options.privateKeyFile], why: 'the private key mode' },
    // The config decides which scripts the worker may run (folder, pins) and may hold a queue secret: owned by
    // root so the worker cannot change it, readable by the worker through its group, by no one else.
    {
      kind: 'command',
      command: 'chown',
      args: [`root:${user}`, options.configPath],
      why: 'the worker config, changed only by root, readable by the worker',
    },
    { kind: 'command', command: 'chmod', args: ['0640', options.configPath], why: 'the worker config mode' },
    { kind: 'file', path: unitPath, content: systemdUnit(options), mode: 0o644 },
    { kind: 'command', command: 'systemctl', args: ['daemon-reload'], why: 'load the unit' },
    { kind: 'command', command: 'systemctl', args: ['enable', '--now', service], why: 'start now and at boot' },
  ];
}

function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function windowsArg(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

/**
 * node.exe does not speak the Service Control Manager protocol, so Windows runs it under a service host: WinSW
 * (a single exe the administrator downloads, renamed to <ServiceName>.exe next to this XML).
 */
export function winswServiceXml(options: ServiceInstallOptions): string {
  const args = ['--import', 'tsx', `${options.appRoot}\\worker\\cli.ts`, 'run', '--config', options.configPath];
  return `<service>
  <id>${xmlEscape(options.serviceName ?? WINDOWS_SERVICE)}</id>
  <name>halo-bridge hybrid worker</name>
  <description>Runs Halo automation scripts from the halo-bridge job queue.</description>
  <executable>${xmlEscape(options.nodePath)}</executable>
  <arguments>${xmlEscape(args.map(windowsArg).join(' '))}</arguments>
  <workingdirectory>${xmlEscape(options.appRoot)}</workingdirectory>
  <startmode>Automatic</startmode>
  <onfailure action="restart" delay="10 sec"/>
  <stoptimeout>90 sec</stoptimeout>
  <log mode="roll-by-size"/>
</service>
`;
}

/**
 * A PowerShell script (run as Administrator) that installs the service under its virtual account
 * `NT SERVICE\<name>`: no password, no interactive logon, rights only where granted below. The private key and the
 * config lose their inherited permissions (a parent such as C:\ProgramData lets every user read): the service
 * account may read them, Administrators and SYSTEM manage them, no one else has access.
 */
export function windowsInstallScript(options: ServiceInstallOptions, serviceHostDir: string): string {
  const name = options.serviceName ?? WINDOWS_SERVICE;
  const account = `NT SERVICE\\${name}`;
  return `#Requires -RunAsAdministrator
$ErrorActionPreference = 'Stop'
$name = ${psQuote(name)}
$account = ${psQuote(account)}
$hostExe = Join-Path ${psQuote(serviceHostDir)} "$name.exe"
$hostXml = Join-Path ${psQuote(serviceHostDir)} "$name.xml"
if (-not (Test-Path -LiteralPath $hostExe)) {
  throw "Put WinSW (https://github.com/winsw/winsw) at $hostExe first: node.exe cannot run as a Windows service by itself."
}
Set-Content -LiteralPath $hostXml -Encoding UTF8 -Value @'
${winswServiceXml(options)}'@
& $hostExe install $hostXml
if ($LASTEXITCODE -ne 0) { throw "service host install failed ($LASTEXITCODE)" }
& sc.exe config $name obj= $account
if ($LASTEXITCODE -ne 0) { throw "sc.exe config failed ($LASTEXITCODE)" }
& sc.exe failure $name reset= 86400 actions= restart/10000/restart/10000/restart/60000
New-Item -ItemType Directory -Force -Path ${psQuote(options.stateDirectory)} | Out-Null
& icacls.exe ${psQuote(options.stateDirectory)} /inheritance:r /grant:r "$($account):(OI)(CI)M" "Administrators:(OI)(CI)F" "SYSTEM:(OI)(CI)F"
& icacls.exe ${psQuote(options.scriptFolder)} /grant "$($account):(OI)(CI)RX"
& icacls.exe ${psQuote(options.privateKeyFile)} /inheritance:r /grant:r "$($account):R" "Administrators:F" "SYSTEM:F"
if ($LASTEXITCODE -ne 0) { throw "icacls on the private key failed ($LASTEXITCODE)" }
& icacls.exe ${psQuote(options.configPath)} /inheritance:r /grant:r "$($account):R" "Administrators:F" "SYSTEM:F"
if ($LASTEXITCODE -ne 0) { throw "icacls on the worker config failed ($LASTEXITCODE)" }
& icacls.exe ${psQuote(options.appRoot)} /grant "$($account):(OI)(CI)RX"
Start-Service -Name $name
Write-Host "Installed and started $name as $account"
`;
}
