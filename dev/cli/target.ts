// Which deployment a config/consent/check command talks to, in this order:
//   --account <storage account>        the deployed app's storage, with your Entra identity (az login / azd auth login)
//   HALO_BRIDGE_STORAGE_CONNECTION_STRING  a local stack's storage (Azurite), e.g. from a test or `npm start`
//   the azd environment (.azure/<env>/.env) STORAGE_ACCOUNT_NAME, after `azd up`
//   local.settings.json AzureWebJobsStorage
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { configDocumentStore, DEFAULT_CONFIG_BLOB, parseBlobLocation } from '../../shared/storage';
import { UsageError } from './command';
import { ROOT, readLocalSettings } from './services';

export interface StorageTarget {
  readonly where: string;
  readonly blobService: BlobServiceClient;
  /** `<container>/<blob>` of the integration config. */
  readonly configBlob: string;
}

export const targetOptions = {
  account: { type: 'string' },
  'config-blob': { type: 'string' },
} as const;

/** The azd environment's values (.azure/<default env>/.env), or undefined outside an azd project. */
export function azdEnvironment(root = ROOT): Record<string, string> | undefined {
  const configPath = join(root, '.azure', 'config.json');
  if (!existsSync(configPath)) return undefined;
  const name = (JSON.parse(readFileSync(configPath, 'utf8')) as { defaultEnvironment?: string }).defaultEnvironment;
  const envPath = name ? join(root, '.azure', name, '.env') : undefined;
  if (!envPath || !existsSync(envPath)) return undefined;
  const values: Record<string, string> = {};
  for (const line of readFileSync(envPath, 'utf8').split(/\r?\n/)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return values;
}

export function resolveStorageTarget(values: { account?: string; 'config-blob'?: string }): StorageTarget {
  const configBlob = values['config-blob'] ?? DEFAULT_CONFIG_BLOB;
  if (!parseBlobLocation(configBlob))
    throw new UsageError(`--config-blob must be <container>/<blob>, got ${configBlob}`);
  const account = values.account ?? undefined;
  if (account) return azureAccount(account, configBlob, `storage account ${account}`);
  const local = process.env.HALO_BRIDGE_STORAGE_CONNECTION_STRING;
  if (local) {
    return { where: 'local stack storage', blobService: BlobServiceClient.fromConnectionString(local), configBlob };
  }
  const azd = azdEnvironment();
  if (azd?.STORAGE_ACCOUNT_NAME) {
    return azureAccount(azd.STORAGE_ACCOUNT_NAME, configBlob, `azd environment (storage ${azd.STORAGE_ACCOUNT_NAME})`);
  }
  const settings = readLocalSettings()?.AzureWebJobsStorage;
  if (settings) {
    const connection =
      settings === 'UseDevelopmentStorage=true'
        ? 'UseDevelopmentStorage=true'
        : settings.includes('AccountKey=') || settings.includes('SharedAccessSignature=')
          ? settings
          : undefined;
    if (connection) {
      return {
        where: 'local.settings.json AzureWebJobsStorage',
        blobService: BlobServiceClient.fromConnectionString(connection),
        configBlob,
      };
    }
  }
  throw new UsageError(
    'no deployment to talk to: pass --account <storage account> (see `azd env get-values`), run inside the azd project after `azd up`, or set AzureWebJobsStorage in local.settings.json',
  );
}

function azureAccount(account: string, configBlob: string, where: string): StorageTarget {
  if (!/^[a-z0-9]{3,24}$/.test(account))
    throw new UsageError(`--account must be a storage account name, got ${account}`);
  return {
    where,
    blobService: new BlobServiceClient(`https://${account}.blob.core.windows.net`, new DefaultAzureCredential()),
    configBlob,
  };
}

export function configStoreOf(target: StorageTarget) {
  const location = parseBlobLocation(target.configBlob)!;
  return configDocumentStore(target.blobService.getContainerClient(location.container), location.blob);
}

export { ROOT };
