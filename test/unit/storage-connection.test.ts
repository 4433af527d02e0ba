import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenCredential } from '@azure/identity';
import {
  connectionFromAppSettings,
  connectionFromIdentity,
  StorageConfigurationError,
  tableClient,
} from '../../shared/storage/connection';

const credential: TokenCredential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) };

describe('storage connection', () => {
  it('prefers the connection string, as the Functions host does', () => {
    const connection = connectionFromAppSettings(
      { AzureWebJobsStorage: 'UseDevelopmentStorage=true', AzureWebJobsStorage__accountName: 'acct' },
      credential,
    );
    assert.equal(connection.kind, 'connectionString');
  });

  it('derives the service URIs from the account name for identity-based access', () => {
    const connection = connectionFromAppSettings({ AzureWebJobsStorage__accountName: 'halobridge' }, credential);
    assert.equal(connection.kind, 'identity');
    if (connection.kind !== 'identity') return;
    assert.equal(connection.queueServiceUri, 'https://halobridge.queue.core.windows.net');
    assert.equal(connection.tableServiceUri, 'https://halobridge.table.core.windows.net');
    assert.equal(connection.blobServiceUri, 'https://halobridge.blob.core.windows.net');
    assert.equal(tableClient(connection, 'jobs').url, 'https://halobridge.table.core.windows.net');
  });

  it('lets explicit service URIs win and trims trailing slashes', () => {
    const connection = connectionFromIdentity({
      accountName: 'ignored',
      queueServiceUri: 'https://q.example/',
      tableServiceUri: 'https://t.example',
      blobServiceUri: 'https://b.example//',
      credential,
    });
    assert.deepEqual(
      connection.kind === 'identity' && [
        connection.queueServiceUri,
        connection.tableServiceUri,
        connection.blobServiceUri,
      ],
      ['https://q.example', 'https://t.example', 'https://b.example'],
    );
  });

  it('says what is missing', () => {
    assert.throws(
      () => connectionFromIdentity({ queueServiceUri: 'https://q.example', credential }),
      (error: unknown) =>
        error instanceof StorageConfigurationError && /tableServiceUri, blobServiceUri/.test(error.message),
    );
    assert.throws(() => connectionFromAppSettings({ AzureWebJobsStorage__accountName: 'a' }), /needs a credential/);
  });
});
