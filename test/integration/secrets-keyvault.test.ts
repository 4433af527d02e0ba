import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TokenCredential } from '@azure/identity';
import { type KeyVaultSimulator, startKeyVaultSimulator } from '../../dev/keyvault-sim/server';
import { KeyVaultSecretProvider } from '../../shared/secrets/keyVaultSecretProvider';
import { SecretNotFoundError } from '../../shared/secrets/secretProvider';

const staticCredential: TokenCredential = {
  getToken: async () => ({ token: 'static-test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('KeyVaultSecretProvider against the Key Vault fake', () => {
  let vault: KeyVaultSimulator;
  let clock = 0;
  let provider: KeyVaultSecretProvider;

  before(async () => {
    vault = await startKeyVaultSimulator({ secrets: { 'halo-client-secret': 'first-value-123' } });
    provider = new KeyVaultSecretProvider({
      vaultUrl: vault.url,
      credential: staticCredential,
      cacheTtlMs: 60_000,
      now: () => clock,
      clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
    });
  });
  after(async () => {
    await vault.stop();
  });

  it('answers the first request with the bearer challenge, then serves the secret', async () => {
    assert.equal(await provider.get('halo-client-secret'), 'first-value-123');
    const counters = vault.counters();
    assert.equal(counters.challenges, 1);
    assert.equal(counters.getsByName['halo-client-secret'], 1);
  });

  it('serves a second read from the cache within the TTL', async () => {
    clock += 59_000;
    assert.equal(await provider.get('halo-client-secret'), 'first-value-123');
    assert.equal(vault.counters().getsByName['halo-client-secret'], 1);
  });

  it('sees a rotated value once the TTL has passed', async () => {
    vault.setSecret('halo-client-secret', 'rotated-value-456');
    assert.equal(await provider.get('halo-client-secret'), 'first-value-123');
    clock += 2_000;
    assert.equal(await provider.get('halo-client-secret'), 'rotated-value-456');
    assert.equal(vault.counters().getsByName['halo-client-secret'], 2);
  });

  it('shares one request between concurrent reads of the same secret', async () => {
    clock += 120_000;
    const before = vault.counters().getsByName['halo-client-secret'] ?? 0;
    const values = await Promise.all(Array.from({ length: 5 }, () => provider.get('halo-client-secret')));
    assert.deepEqual(new Set(values), new Set(['rotated-value-456']));
    assert.equal(vault.counters().getsByName['halo-client-secret'], before + 1);
  });

  it('throws SecretNotFoundError naming the missing secret', async () => {
    await assert.rejects(provider.get('no-such-secret'), (error: unknown) => {
      assert.ok(error instanceof SecretNotFoundError);
      assert.equal(error.secretName, 'no-such-secret');
      assert.match(error.message, /no-such-secret/);
      return true;
    });
    assert.equal(vault.counters().notFound, 1);
  });

  it('sets a secret through the vault and reads it back, versions included', async () => {
    await provider.set('job-signing-key', 'signing-key-v1');
    clock += 600_000;
    assert.equal(await provider.get('job-signing-key'), 'signing-key-v1');
    assert.equal(vault.counters().sets, 1);

    const response = await fetch(`${vault.url}/secrets/job-signing-key/?api-version=2025-07-01`, {
      headers: { authorization: 'Bearer x' },
    });
    const latest = (await response.json()) as { id: string; value: string };
    const version = latest.id.split('/').at(-1);
    vault.setSecret('job-signing-key', 'signing-key-v2');
    const old = await fetch(`${vault.url}/secrets/job-signing-key/${version}?api-version=2025-07-01`, {
      headers: { authorization: 'Bearer x' },
    });
    assert.equal(((await old.json()) as { value: string }).value, 'signing-key-v1');
  });
});
