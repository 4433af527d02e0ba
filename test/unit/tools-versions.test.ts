// Prints, and under CI=true insists on, the exact tool versions the PowerShell, Pester and Bicep tests run with.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { requireTools, TOOL_VERSIONS } from '../support/tools';

describe('test tools', () => {
  it(`pwsh ${TOOL_VERSIONS.pwsh} runs Pester ${TOOL_VERSIONS.pester}`, (t) => {
    const tools = requireTools(t, 'pwsh', 'pester');
    if (!tools) return;
    const out = execFileSync(
      tools.pwsh,
      [
        '-NoLogo',
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `$PSVersionTable.PSVersion.ToString(); (Import-Module '${tools.pester}' -PassThru).Version.ToString()`,
      ],
      { encoding: 'utf8' },
    );
    const [pwsh, pester] = out.trim().split(/\r?\n/);
    t.diagnostic(`pwsh ${pwsh}, Pester ${pester}`);
    assert.equal(pwsh, TOOL_VERSIONS.pwsh);
    assert.equal(pester, TOOL_VERSIONS.pester);
  });

  it(`bicep is ${TOOL_VERSIONS.bicep}`, (t) => {
    const tools = requireTools(t, 'bicep');
    if (!tools) return;
    const out = execFileSync(tools.bicep, ['--version'], { encoding: 'utf8' });
    t.diagnostic(out.trim());
    assert.match(out, new RegExp(`Bicep CLI version ${TOOL_VERSIONS.bicep.replaceAll('.', '\\.')} `));
  });
});
