import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requireJobSigningKey } from '../../dev/realServices';
import { loadAppSettings } from '../../shared/config/appSettings';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { ConfigError } from '../../shared/config/zodIssues';
import { exportPrivateKey, generateSigningKeyPair, importPrivateKey } from '../../shared/jobs';
import { LocalSecretProvider } from '../../shared/secrets';

const settings = loadAppSettings({
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  HALO_BASE_URL: 'https://halo.example.com',
  HALO_CLIENT_ID: 'id',
  HALO_CLIENT_SECRET: 'secret-value',
  HALO_WEBHOOK_USERNAME: 'halo-webhook',
  HALO_WEBHOOK_PASSWORD: 'a-long-webhook-password',
});

function containerWith(secrets: Record<string, string>) {
  const provider = new LocalSecretProvider(secrets);
  return {
    settings,
    jobSigningKey: async () => importPrivateKey(await provider.get(settings.JOB_SIGNING_KEY_SECRET_NAME)),
  };
}

describe('npm start on real services: the job-signing key', () => {
  it('refuses to start, naming the setting and how to provide the key, when script automation has no key', async () => {
    const error = await requireJobSigningKey(containerWith({}), parseIntegrationConfig({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /JOB_SIGNING_KEY_SECRET_NAME: the job-signing key 'job-signing-key' is unusable/);
    assert.match(error.message, /KEY_VAULT_URL/);
    assert.match(error.message, /LOCAL_SECRETS_FILE/);
  });

  it('starts when the key is there, or when nothing signs jobs', async () => {
    const key = exportPrivateKey(generateSigningKeyPair().privateKey);
    await requireJobSigningKey(containerWith({ 'job-signing-key': key }), parseIntegrationConfig({}));
    const noAutomation = parseIntegrationConfig({ haloScriptQueue: { enabled: false } });
    await requireJobSigningKey(containerWith({}), noAutomation);
  });
});
