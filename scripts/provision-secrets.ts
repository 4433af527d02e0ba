// azd post-provision hook: creates the secrets the system generates itself, when they are missing, in the Key
// Vault that `infra/` deployed. Never prints a secret value; prints the job-signing PUBLIC key for worker configs.
import { randomBytes } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { exportPrivateKey, exportPublicKey, generateSigningKeyPair, importPrivateKey, keyIdOf } from '../shared/jobs';

async function ensureSecret(client: SecretClient, name: string, create: () => string): Promise<string> {
  try {
    const existing = await client.getSecret(name);
    if (existing.value) {
      console.log(`secret ${name}: present`);
      return existing.value;
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  const value = create();
  await client.setSecret(name, value);
  console.log(`secret ${name}: created`);
  return value;
}

async function main(): Promise<void> {
  const vaultUrl = process.env.KEY_VAULT_URL;
  if (!vaultUrl) throw new Error('KEY_VAULT_URL is not set (azd sets it from the deployment outputs)');
  const client = new SecretClient(vaultUrl, new DefaultAzureCredential());
  await ensureSecret(client, 'halo-webhook-password', () => randomBytes(32).toString('base64url'));
  const privateKeyPem = await ensureSecret(client, 'job-signing-key', () =>
    exportPrivateKey(generateSigningKeyPair().privateKey),
  );
  const publicKey = exportPublicKey(importPrivateKey(privateKeyPem));
  console.log(`\nJob-signing public key (keyId ${keyIdOf(publicKey)}), for every worker's config:\n${publicKey}`);
  for (const name of ['halo-client-secret', 'graph-client-secret']) {
    try {
      await client.getSecret(name);
    } catch {
      console.log(
        `secret ${name}: MISSING — add it: az keyvault secret set --vault-name <vault> -n ${name} --value '<value>'`,
      );
    }
  }
}

main().catch((error) => {
  console.error(`provision-secrets failed: ${(error as Error).message}`);
  process.exit(1);
});
