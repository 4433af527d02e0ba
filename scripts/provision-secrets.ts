// azd post-provision hook (also runs without azd: set the variables below and `npm run postprovision`):
//  1. creates the secrets the system generates itself when they are missing (webhook password, job-signing key),
//     waiting through Key Vault RBAC propagation (403) with progress;
//  2. uploads the integration config when the app has none yet: the file HALO_BRIDGE_CONFIG_FILE names (validated
//     first), else a starter (tenant sync in plan mode); an existing config is never overwritten;
//  3. restarts the Function App when it created a secret (or with --restart, after you added one), so its Key Vault
//     references resolve now, not at the platform's next refresh (up to 24 hours).
// Never prints a secret value; prints the job-signing PUBLIC key for worker configs.
// Variables (azd sets them from the deployment outputs): KEY_VAULT_URL, STORAGE_ACCOUNT_NAME, AZURE_SUBSCRIPTION_ID,
// AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME; optional HALO_BRIDGE_CONFIG_FILE.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { BlobServiceClient } from '@azure/storage-blob';
import { checkConfigText, configuredFeatures } from '../shared/config/liveConfig';
import { exportPrivateKey, exportPublicKey, generateSigningKeyPair, importPrivateKey, keyIdOf } from '../shared/jobs';
import { configDocumentStore, DEFAULT_CONFIG_BLOB, parseBlobLocation } from '../shared/storage';
import { withAccessRetry } from './provision/waitForAccess';

const credential = new DefaultAzureCredential();
let created = 0;

async function ensureSecret(client: SecretClient, name: string, create: () => string): Promise<string> {
  const existing = await withAccessRetry(
    () =>
      client.getSecret(name).catch((error: { statusCode?: number }) => {
        if (error.statusCode === 404) return undefined;
        throw error;
      }),
    { what: `Key Vault secret ${name}` },
  );
  if (existing?.value) {
    console.log(`secret ${name}: present`);
    return existing.value;
  }
  const value = create();
  await withAccessRetry(() => client.setSecret(name, value), { what: `Key Vault secret ${name}` });
  created++;
  console.log(`secret ${name}: created`);
  return value;
}

async function ensureConfig(accountName: string): Promise<void> {
  const location = parseBlobLocation(DEFAULT_CONFIG_BLOB)!;
  const service = new BlobServiceClient(`https://${accountName}.blob.core.windows.net`, credential);
  const store = configDocumentStore(service.getContainerClient(location.container), location.blob);
  const current = await withAccessRetry(() => store.read(), { what: `integration config ${DEFAULT_CONFIG_BLOB}` });
  if (current && current !== 'unchanged') {
    console.log(
      `integration config: present (${current.lastModified}), left as is; change it with npm run cli -- config push`,
    );
    return;
  }
  const named = process.env.HALO_BRIDGE_CONFIG_FILE;
  const path = named ? resolve(named) : resolve(__dirname, '..', 'infra', 'starter-config.json');
  const text = readFileSync(path, 'utf8');
  const checked = checkConfigText(text, path);
  if (!checked.ok) {
    throw new Error(
      `HALO_BRIDGE_CONFIG_FILE ${path} is invalid, nothing uploaded:\n  ${checked.problems.join('\n  ')}`,
    );
  }
  await withAccessRetry(() => store.write(text, undefined), { what: `integration config ${DEFAULT_CONFIG_BLOB}` });
  console.log(
    `integration config: uploaded ${named ? path : 'the starter (tenant sync in plan mode only)'}: ${configuredFeatures(checked.config).join(', ')}`,
  );
  if (!named)
    console.log(
      '  next: npm run cli -- config push <your config.json>   (azd env set HALO_BRIDGE_CONFIG_FILE <file> to upload yours on the first azd up)',
    );
}

async function restartApp(): Promise<void> {
  const { AZURE_SUBSCRIPTION_ID: sub, AZURE_RESOURCE_GROUP: rg, AZURE_FUNCTION_APP_NAME: app } = process.env;
  if (!sub || !rg || !app) {
    console.log(
      'function app: not restarted (AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME not set): restart it once so it reads the new secrets',
    );
    return;
  }
  const token = await credential.getToken('https://management.azure.com/.default');
  const url = `https://management.azure.com/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${app}/restart?api-version=2024-04-01`;
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token.token}` } });
  if (!response.ok) throw new Error(`restarting ${app} answered ${response.status}: restart it once by hand`);
  console.log(`function app ${app}: restarted, so its Key Vault references resolve the new secrets now`);
}

async function main(): Promise<void> {
  const vaultUrl = process.env.KEY_VAULT_URL;
  const accountName = process.env.STORAGE_ACCOUNT_NAME;
  if (!vaultUrl || !accountName) {
    throw new Error('KEY_VAULT_URL and STORAGE_ACCOUNT_NAME must be set (azd sets them from the deployment outputs)');
  }
  const client = new SecretClient(vaultUrl, credential);
  await ensureSecret(client, 'halo-webhook-password', () => randomBytes(32).toString('base64url'));
  const privateKeyPem = await ensureSecret(client, 'job-signing-key', () =>
    exportPrivateKey(generateSigningKeyPair().privateKey),
  );
  const missing: string[] = [];
  for (const name of ['halo-client-secret', 'graph-client-secret']) {
    const found = await client.getSecret(name).catch(() => undefined);
    if (!found?.value) missing.push(name);
  }
  await ensureConfig(accountName);
  if (created > 0 || process.argv.includes('--restart')) await restartApp();
  const publicKey = exportPublicKey(importPrivateKey(privateKeyPem));
  console.log(`\nJob-signing public key (keyId ${keyIdOf(publicKey)}), for every worker's config:\n${publicKey}`);
  for (const name of missing) {
    console.log(
      `secret ${name}: MISSING — add it: az keyvault secret set --vault-name <vault> -n ${name} --value '<value>', then: npm run postprovision -- --restart`,
    );
  }
  console.log('\nThen: npm run cli -- consent (dry run), consent --apply, and npm run cli -- check');
}

main().catch((error) => {
  console.error(`post-provision failed: ${(error as Error).message}`);
  process.exit(1);
});
