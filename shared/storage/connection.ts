import { TableClient, TableServiceClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

/**
 * How the app reaches its storage account, as the Functions host's `AzureWebJobsStorage` settings describe it:
 * either a connection string, or identity-based service URIs plus a TokenCredential (chosen by the composition root).
 */
export type StorageConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | {
      readonly kind: 'identity';
      readonly queueServiceUri: string;
      readonly tableServiceUri: string;
      readonly blobServiceUri: string;
      readonly credential: TokenCredential;
    };

export interface IdentityStorageSettings {
  readonly accountName?: string;
  readonly queueServiceUri?: string;
  readonly tableServiceUri?: string;
  readonly blobServiceUri?: string;
  readonly credential: TokenCredential;
}

export class StorageConfigurationError extends Error {
  override readonly name = 'StorageConfigurationError';
}

export function connectionFromString(connectionString: string): StorageConnection {
  if (!connectionString.trim()) throw new StorageConfigurationError('storage connection string is empty');
  return { kind: 'connectionString', connectionString: connectionString.trim() };
}

/** Identity-based access: explicit service URIs win over the ones derived from `accountName` (public cloud). */
export function connectionFromIdentity(settings: IdentityStorageSettings): StorageConnection {
  const derive = (service: 'queue' | 'table' | 'blob') =>
    settings.accountName ? `https://${settings.accountName}.${service}.core.windows.net` : undefined;
  const queueServiceUri = settings.queueServiceUri ?? derive('queue');
  const tableServiceUri = settings.tableServiceUri ?? derive('table');
  const blobServiceUri = settings.blobServiceUri ?? derive('blob');
  const missing = [
    ['queueServiceUri', queueServiceUri],
    ['tableServiceUri', tableServiceUri],
    ['blobServiceUri', blobServiceUri],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0 || !queueServiceUri || !tableServiceUri || !blobServiceUri) {
    throw new StorageConfigurationError(
      `identity-based storage needs accountName, or these service URIs: ${missing.join(', ')}`,
    );
  }
  const trim = (uri: string) => uri.replace(/\/+$/, '');
  return {
    kind: 'identity',
    queueServiceUri: trim(queueServiceUri),
    tableServiceUri: trim(tableServiceUri),
    blobServiceUri: trim(blobServiceUri),
    credential: settings.credential,
  };
}

/** The `AzureWebJobsStorage` / `AzureWebJobsStorage__*` app settings, as parsed by shared/config/appSettings. */
export interface StorageAppSettings {
  readonly AzureWebJobsStorage?: string;
  readonly AzureWebJobsStorage__accountName?: string;
  readonly AzureWebJobsStorage__queueServiceUri?: string;
  readonly AzureWebJobsStorage__tableServiceUri?: string;
  readonly AzureWebJobsStorage__blobServiceUri?: string;
}

/** A connection string wins, as in the Functions host; otherwise identity-based settings need `credential`. */
export function connectionFromAppSettings(
  settings: StorageAppSettings,
  credential?: TokenCredential,
): StorageConnection {
  if (settings.AzureWebJobsStorage) return connectionFromString(settings.AzureWebJobsStorage);
  if (!credential) {
    throw new StorageConfigurationError(
      'AzureWebJobsStorage is not set, and identity-based storage (AzureWebJobsStorage__*) needs a credential',
    );
  }
  return connectionFromIdentity({
    accountName: settings.AzureWebJobsStorage__accountName,
    queueServiceUri: settings.AzureWebJobsStorage__queueServiceUri,
    tableServiceUri: settings.AzureWebJobsStorage__tableServiceUri,
    blobServiceUri: settings.AzureWebJobsStorage__blobServiceUri,
    credential,
  });
}

/** Only plain-http endpoints (Azurite) may skip TLS; the SDKs refuse them otherwise. */
function isInsecure(connection: StorageConnection, service: 'queue' | 'table' | 'blob'): boolean {
  if (connection.kind === 'identity') {
    const uri = {
      queue: connection.queueServiceUri,
      table: connection.tableServiceUri,
      blob: connection.blobServiceUri,
    };
    return uri[service].startsWith('http://');
  }
  return /(^|;)\s*(UseDevelopmentStorage=true|DefaultEndpointsProtocol=http\s*(;|$)|\w+Endpoint=http:\/\/)/i.test(
    connection.connectionString,
  );
}

export function queueServiceClient(connection: StorageConnection): QueueServiceClient {
  if (connection.kind === 'connectionString')
    return QueueServiceClient.fromConnectionString(connection.connectionString);
  return new QueueServiceClient(connection.queueServiceUri, connection.credential);
}

export function blobServiceClient(connection: StorageConnection): BlobServiceClient {
  if (connection.kind === 'connectionString')
    return BlobServiceClient.fromConnectionString(connection.connectionString);
  return new BlobServiceClient(connection.blobServiceUri, connection.credential);
}

export function tableClient(connection: StorageConnection, table: string): TableClient {
  const options = { allowInsecureConnection: isInsecure(connection, 'table') };
  if (connection.kind === 'connectionString') {
    return TableClient.fromConnectionString(connection.connectionString, table, options);
  }
  return new TableClient(connection.tableServiceUri, table, connection.credential, options);
}

export function tableServiceClient(connection: StorageConnection): TableServiceClient {
  const options = { allowInsecureConnection: isInsecure(connection, 'table') };
  if (connection.kind === 'connectionString') {
    return TableServiceClient.fromConnectionString(connection.connectionString, options);
  }
  return new TableServiceClient(connection.tableServiceUri, connection.credential, options);
}
