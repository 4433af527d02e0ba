import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAppSettings } from '../../shared/config/appSettings';
import { ConfigError } from '../../shared/config/zodIssues';

const valid = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  HALO_BASE_URL: 'https://acme.halopsa.com/',
  HALO_CLIENT_ID: 'client',
  HALO_CLIENT_SECRET: 'halo-secret-value',
  HALO_WEBHOOK_USERNAME: 'halo',
  HALO_WEBHOOK_PASSWORD: 'a-long-webhook-password',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppSettings(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('app settings', () => {
  it('accepts a minimal valid set and applies defaults', () => {
    const settings = loadAppSettings(valid);
    assert.equal(settings.HALO_BASE_URL, 'https://acme.halopsa.com');
    assert.equal(settings.HALO_RATE_LIMIT_REQUESTS, 300);
    assert.equal(settings.GRAPH_BASE_URL, 'https://graph.microsoft.com');
    assert.deepEqual(settings.secretValues.includes('halo-secret-value'), true);
  });

  it('lists every problem at once, by setting name', () => {
    const problems = problemsOf({ HALO_BASE_URL: 'not a url' });
    const names = problems.map((p) => p.split(':')[0]);
    assert.deepEqual(
      names,
      [
        'AzureWebJobsStorage',
        'HALO_BASE_URL',
        'HALO_CLIENT_ID',
        'HALO_CLIENT_SECRET',
        'HALO_WEBHOOK_PASSWORD',
        'HALO_WEBHOOK_USERNAME',
      ].sort(),
    );
  });

  it('rejects an unresolved Key Vault reference without echoing it', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/halo/)';
    const problems = problemsOf({ ...valid, HALO_CLIENT_SECRET: reference });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^HALO_CLIENT_SECRET: is an unresolved Key Vault reference/);
    assert.ok(!problems[0]!.includes('kv.vault.azure.net'));
  });

  it('catches a secret ID pasted where the secret value belongs', () => {
    const problems = problemsOf({
      ...valid,
      GRAPH_CLIENT_ID: 'app',
      GRAPH_HOME_TENANT_ID: 'contoso.onmicrosoft.com',
      GRAPH_CLIENT_SECRET: '0f8fad5b-d9cb-469f-a165-70867728950e',
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^GRAPH_CLIENT_SECRET: looks like a GUID/);
  });

  it('names every setting still holding a <...> placeholder of local.settings.sample.json, never echoing it', () => {
    const sample = JSON.parse(readFileSync(join(__dirname, '..', '..', 'local.settings.sample.json'), 'utf8'));
    const problems = problemsOf(sample.Values);
    const placeholders = problems.filter((p) => p.includes('placeholder')).map((p) => p.split(':')[0]);
    assert.deepEqual(placeholders, [
      'GRAPH_CLIENT_ID',
      'GRAPH_CLIENT_SECRET',
      'GRAPH_HOME_TENANT_ID',
      'HALO_CLIENT_ID',
      'HALO_CLIENT_SECRET',
      'HALO_WEBHOOK_PASSWORD',
      'KEY_VAULT_URL',
      'PUBLIC_BASE_URL',
    ]);
    assert.ok(!problems.some((p) => p.includes('<Halo API application client secret>')));
    // A real secret may contain angle brackets.
    assert.doesNotThrow(() => loadAppSettings({ ...valid, HALO_CLIENT_SECRET: 'a<b>c-secret' }));
  });
});
