import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appSettingsSchema, SECRET_SETTINGS } from '../../shared/config/appSettings';
import { BLOB_CONTAINERS, QUEUES, TABLES } from '../../shared/storage/names';

const infra = join(__dirname, '..', '..', 'infra');
const read = (file: string) => readFileSync(join(infra, file), 'utf8');
const functionBicep = read('app/function.bicep');
const storageBicep = read('app/storage.bicep');

/** `KEY: value` lines of the app settings objects in function.bicep. */
function appSettingLines(): Map<string, string> {
  const settings = new Map<string, string>();
  for (const match of functionBicep.matchAll(/^\s+([A-Za-z][A-Za-z0-9_]*): (.+)$/gm)) {
    const [, key, value] = match;
    if (key && value && /^[A-Z]/.test(key)) settings.set(key, value.trim());
  }
  return settings;
}

function bicepList(name: string): string[] {
  const match = storageBicep.match(new RegExp(`var ${name} = \\[([^\\]]*)\\]`));
  assert.ok(match, `storage.bicep declares var ${name}`);
  return [...match[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe('infra/ against the code', () => {
  const settings = appSettingLines();

  it('sets every app setting the config schema requires', () => {
    const required = Object.entries(appSettingsSchema.shape)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([name]) => name);
    assert.ok(required.length >= 5, `found required settings: ${required.join(', ')}`);
    for (const name of required) assert.ok(settings.has(name), `function.bicep sets ${name}`);
    assert.ok(settings.has('AzureWebJobsStorage__accountName'), 'storage is identity-based');
    assert.equal(settings.get('AzureWebJobsStorage__credential'), "'managedidentity'");
  });

  it('sets no setting the app does not know', () => {
    const known = new Set([
      ...Object.keys(appSettingsSchema.shape),
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    ]);
    for (const name of settings.keys()) assert.ok(known.has(name), `${name} is read by the app`);
  });

  it('keeps every secret out of plain app settings (Key Vault references only)', () => {
    for (const name of SECRET_SETTINGS) {
      const value = settings.get(name);
      if (value === undefined) continue;
      assert.match(value, /^kvRef\(/, `${name} must be a Key Vault reference`);
    }
    assert.match(functionBicep, /'@Microsoft\.KeyVault\(VaultName=\$\{vault\};SecretName=\$\{secret\}\)'/);
    assert.ok(functionBicep.includes('keyVaultReferenceIdentity: identityId'));
    assert.doesNotMatch(functionBicep, /AccountKey=|listKeys\(/);
  });

  it('creates every queue (with its -poison twin), table and container the code names', () => {
    const flowQueues = bicepList('flowQueues');
    assert.deepEqual([...flowQueues].sort(), Object.values(QUEUES).sort());
    assert.match(storageBicep, /'jobs-\$\{group\}'/);
    assert.match(storageBicep, /'\$\{queue\}-poison'/);
    assert.deepEqual(bicepList('tables').sort(), Object.values(TABLES).sort());
    const containers = bicepList('containers');
    for (const container of Object.values(BLOB_CONTAINERS)) assert.ok(containers.includes(container), container);
  });

  it('disables shared keys, App Insights local auth, and protects the vault', () => {
    assert.match(storageBicep, /allowSharedKeyAccess: false/);
    assert.match(read('app/monitoring.bicep'), /DisableLocalAuth: true/);
    const vault = read('app/keyvault.bicep');
    assert.match(vault, /enableRbacAuthorization: true/);
    assert.match(vault, /enablePurgeProtection: true/);
    assert.match(vault, /enableSoftDelete: true/);
    assert.match(functionBicep, /tier: 'FlexConsumption'/);
    assert.match(functionBicep, /runtime: \{ name: 'node', version: '22' \}/);
  });

  it('lets a worker identity touch only its jobs queue and the results queue', () => {
    const worker = read('app/worker-access.bicep');
    assert.match(worker, /scope: storage::queueService::jobsQueue/);
    assert.match(worker, /scope: storage::queueService::resultsQueue/);
    assert.doesNotMatch(worker, /scope: storage\s*$/m);
  });

  it('outputs the URLs to paste into Halo and Graph', () => {
    const main = read('main.bicep');
    for (const output of ['FUNCTION_URL', 'HALO_WEBHOOK_URL', 'GRAPH_NOTIFICATION_URL']) {
      assert.match(main, new RegExp(`output ${output} string`));
    }
    const params = JSON.parse(read('main.parameters.json')).parameters;
    assert.ok(params.environmentName && params.location && params.haloBaseUrl);
  });

  it('tags exactly one resource with the azd service name (azd refuses two)', () => {
    const files = ['main.bicep', ...readdirSync(join(infra, 'app')).map((f) => `app/${f}`)];
    const tagged = files.flatMap((f) => read(f).match(/'azd-service-name': 'api'/g) ?? []);
    assert.equal(tagged.length, 1);
    assert.match(
      functionBicep,
      /resource functionApp 'Microsoft\.Web\/sites@[^']+' = \{\n\s+name: name\n\s+location: location\n\s+\/\/[^\n]*\n\s+tags: union\(tags, \{ 'azd-service-name': 'api' \}\)/,
    );
  });

  it('has only modules that main.bicep uses', () => {
    const main = read('main.bicep');
    for (const file of readdirSync(join(infra, 'app'))) assert.ok(main.includes(`'app/${file}'`), file);
  });
});
