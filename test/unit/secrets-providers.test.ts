import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TokenCredential } from '@azure/identity';
import { KeyVaultSecretProvider } from '../../shared/secrets/keyVaultSecretProvider';
import { LocalSecretProvider } from '../../shared/secrets/localSecretProvider';
import { SecretAccessError, SecretNotFoundError } from '../../shared/secrets/secretProvider';

const SECRET_VALUE = 'super-secret-value-9f8e7d';

describe('LocalSecretProvider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves values from an object and accepts set', async () => {
    const provider = new LocalSecretProvider({ 'halo-client-secret': SECRET_VALUE });
    assert.equal(await provider.get('halo-client-secret'), SECRET_VALUE);
    await provider.set('other', 'x-value');
    assert.equal(await provider.get('other'), 'x-value');
    assert.deepEqual(provider.knownValues().sort(), [SECRET_VALUE, 'x-value'].sort());
  });

  it('throws SecretNotFoundError naming the secret and no value', async () => {
    const provider = new LocalSecretProvider({ 'halo-client-secret': SECRET_VALUE });
    await assert.rejects(provider.get('missing-one'), (error: unknown) => {
      assert.ok(error instanceof SecretNotFoundError);
      assert.equal(error.secretName, 'missing-one');
      assert.ok(!error.message.includes(SECRET_VALUE));
      return true;
    });
  });

  it('rejects invalid secret names', async () => {
    const provider = new LocalSecretProvider({});
    await assert.rejects(provider.get('bad/name'), /invalid secret name/);
  });

  it('loads a JSON file, and reports a bad file by path without echoing values', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ 'a-secret': SECRET_VALUE }));
    assert.equal(LocalSecretProvider.fromFile(good).knownValues()[0], SECRET_VALUE);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 'a-secret': SECRET_VALUE, other: 42 }));
    assert.throws(
      () => LocalSecretProvider.fromFile(bad),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /bad\.json is invalid: other:/);
        assert.ok(!error.message.includes(SECRET_VALUE));
        return true;
      },
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, `{"a-secret": "${SECRET_VALUE}"`);
    assert.throws(
      () => LocalSecretProvider.fromFile(broken),
      (error: unknown) =>
        error instanceof Error && !error.message.includes(SECRET_VALUE) && /not valid JSON/.test(error.message),
    );
    assert.throws(() => LocalSecretProvider.fromFile(join(dir, 'absent.json')), /ENOENT/);
  });
});

describe('KeyVaultSecretProvider errors', () => {
  it('never carries the secret value in a failure to set', async () => {
    const failing: TokenCredential = {
      getToken: async () => {
        throw Object.assign(new Error(`token failure while storing ${SECRET_VALUE}`), { code: 'AuthFailed' });
      },
    };
    const provider = new KeyVaultSecretProvider({
      vaultUrl: 'https://127.0.0.1:1',
      credential: failing,
      clientOptions: { retryOptions: { maxRetries: 0 } },
    });
    await assert.rejects(provider.set('job-signing-key', SECRET_VALUE), (error: unknown) => {
      assert.ok(error instanceof SecretAccessError);
      assert.equal(error.secretName, 'job-signing-key');
      assert.ok(!error.message.includes(SECRET_VALUE));
      assert.ok(!JSON.stringify(error).includes(SECRET_VALUE));
      return true;
    });
  });
});
