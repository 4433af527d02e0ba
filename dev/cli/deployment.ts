// The settings of the deployment a command checks or consents for: a local.settings.json-style file (--settings),
// else the azd environment after `azd up` (secrets then come from its Key Vault with your identity), else
// local.settings.json.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { UsageError } from './command';
import { ROOT, readLocalSettings } from './services';
import { azdEnvironment } from './target';

export interface Deployment {
  readonly where: string;
  readonly values: Readonly<Record<string, string>>;
  /** A secret by its Key Vault name (or, for a settings file, by the setting that holds it). */
  secret(name: string, setting: string): Promise<string | undefined>;
}

export function resolveDeployment(settingsFile: string | undefined): Deployment {
  if (settingsFile) {
    const path = resolve(settingsFile);
    if (!existsSync(path)) throw new UsageError(`--settings ${settingsFile}: no such file`);
    const values = (JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, string> }).Values ?? {};
    return fromValues(values, settingsFile);
  }
  const azd = azdEnvironment();
  if (azd) {
    const vaultUrl = azd.KEY_VAULT_URL;
    const client = vaultUrl ? new SecretClient(vaultUrl, new DefaultAzureCredential()) : undefined;
    return {
      where: `azd environment${vaultUrl ? ` (Key Vault ${vaultUrl})` : ''}`,
      values: azd,
      async secret(name) {
        if (!client) return undefined;
        try {
          return (await client.getSecret(name)).value;
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) return undefined;
          throw error;
        }
      },
    };
  }
  const local = readLocalSettings();
  if (local) return fromValues(local, join(ROOT, 'local.settings.json'));
  throw new UsageError('no deployment found: run `azd up` first, or pass --settings <local.settings.json>');
}

function fromValues(values: Record<string, string>, where: string): Deployment {
  return { where, values, secret: async (_name, setting) => values[setting] || undefined };
}
