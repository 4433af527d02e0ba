// Runs the Pester suites in test/pester/ (the example worker scripts and the Exchange RBAC script, with the
// ActiveDirectory and Exchange cmdlets mocked) under pwsh, and asserts on Pester's own result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { requireTools } from '../support/tools';

const root = join(__dirname, '..', '..');
const suites = join(root, 'test', 'pester');

interface PesterSummary {
  result: string;
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
  tests: { path: string; file: string; result: string; error: string }[];
}

function invokePester(pwsh: string, pester: string): PesterSummary {
  const script = `
    $ErrorActionPreference = 'Stop'
    Import-Module '${pester.replaceAll("'", "''")}'
    $config = New-PesterConfiguration
    $config.Run.Path = '${suites.replaceAll("'", "''")}'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'None'
    $r = Invoke-Pester -Configuration $config
    $tests = @($r.Tests | ForEach-Object {
      @{ path = $_.ExpandedPath; file = (Split-Path -Leaf $_.ScriptBlock.File); result = "$($_.Result)";
         error = (($_.ErrorRecord | ForEach-Object { "$_" }) -join '; ') }
    })
    $summary = @{ result = "$($r.Result)"; passed = $r.PassedCount; failed = $r.FailedCount; skipped = $r.SkippedCount;
                  notRun = $r.NotRunCount; tests = $tests }
    'PESTER-SUMMARY ' + ($summary | ConvertTo-Json -Depth 4 -Compress)`;
  const dir = mkdtempSync(join(tmpdir(), 'pester-'));
  const file = join(dir, 'run.ps1');
  writeFileSync(file, script);
  const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], {
    encoding: 'utf8',
    cwd: root,
    timeout: 600_000,
  });
  rmSync(dir, { recursive: true, force: true });
  const line = run.stdout.split(/\r?\n/).find((l) => l.startsWith('PESTER-SUMMARY '));
  assert.ok(line, `pwsh exited ${run.status}: ${run.stdout}${run.stderr}`);
  return JSON.parse(line.slice('PESTER-SUMMARY '.length)) as PesterSummary;
}

describe('Pester: example worker scripts and the Exchange RBAC script', () => {
  it('every suite passes, none skipped', (t) => {
    const tools = requireTools(t, 'pwsh', 'pester');
    if (!tools) return;
    const summary = invokePester(tools.pwsh, tools.pester);
    const failures = summary.tests.filter((test) => test.result !== 'Passed');
    assert.deepEqual(
      failures.map((test) => `${test.path}: ${test.result} ${test.error}`),
      [],
      'Pester tests that did not pass',
    );
    assert.equal(summary.result, 'Passed');
    assert.equal(summary.failed + summary.skipped + summary.notRun, 0);
    const files = readdirSync(suites).filter((file) => file.endsWith('.Tests.ps1'));
    assert.deepEqual(
      files.filter((file) => !summary.tests.some((test) => test.file === file && test.result === 'Passed')),
      [],
      'suites with no passing test',
    );
    for (const expected of ['NewStarter', 'MailboxQuota', 'Leaver', 'GrantScopedMailboxAccess']) {
      assert.ok(files.includes(`${expected}.Tests.ps1`), expected);
    }
    assert.ok(summary.passed >= 30, `only ${summary.passed} Pester tests passed`);
    t.diagnostic(`Pester: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  });
});
