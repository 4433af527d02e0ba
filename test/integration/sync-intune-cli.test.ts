import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';

describe('npm run cli: the Intune sync', () => {
  it('sync --kind intune --mode plan plans both demo tenants and names the report', async () => {
    const { code, stdout, stderr } = await runCli(['sync', '--kind', 'intune', '--mode', 'plan']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\(plan mode\): succeeded/);
    assert.match(
      stdout,
      /Contoso Ltd: matched by tenantId to "Contoso Ltd" \(#10\); 5 devices: 3 created, 1 updated, 1 marked deleted.*1 excluded \(Defender only\) \(planned\)/,
    );
    assert.match(stdout, /report: reports\/intune-sync\/[^/]+\/changes\.csv/);
  });
});
