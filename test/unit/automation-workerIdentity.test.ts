import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientCertificateCredential, ManagedIdentityCredential } from '@azure/identity';
import { ConfigError } from '../../shared/config/zodIssues';
import { parseWorkerConfig } from '../../worker/config';
import { queueCredential } from '../../worker/workerQueues';

const base = {
  workerId: 'srv-01',
  workerGroup: 'default',
  scriptFolder: 'scripts',
  cloudPublicKeys: ['MCowBQYDK2VwAyEA'],
  privateKeyFile: 'worker.key',
  stateDirectory: 'state',
};
const serviceUrl = 'https://halobridge.queue.core.windows.net';

describe('worker queue access with an Entra identity', () => {
  it('accepts a managed identity (system- or user-assigned)', () => {
    const system = parseWorkerConfig(
      { ...base, queue: { serviceUrl, identity: { kind: 'managedIdentity' } } },
      '/etc/w',
    );
    assert.deepEqual(system.queue, { serviceUrl, identity: { kind: 'managedIdentity' } });
    const identity = { kind: 'managedIdentity', clientId: '00000000-0000-4000-8000-000000000001' } as const;
    assert.ok(queueCredential(identity) instanceof ManagedIdentityCredential);
  });

  it('resolves a client certificate path against the config folder', () => {
    const config = parseWorkerConfig(
      {
        ...base,
        queue: {
          serviceUrl,
          identity: { kind: 'clientCertificate', tenantId: 't', clientId: 'c', certificatePath: 'certs/worker.pem' },
        },
      },
      '/etc/halo-worker',
    );
    assert.ok('identity' in config.queue && config.queue.identity.kind === 'clientCertificate');
    assert.equal(config.queue.identity.certificatePath, '/etc/halo-worker/certs/worker.pem');
    assert.ok(queueCredential(config.queue.identity) instanceof ClientCertificateCredential);
  });

  it('names what is wrong with an identity', () => {
    assert.throws(
      () =>
        parseWorkerConfig(
          { ...base, queue: { serviceUrl, identity: { kind: 'clientCertificate', tenantId: 't' } } },
          '/etc/w',
        ),
      (error: unknown) => error instanceof ConfigError && /queue/.test(error.message),
    );
  });
});
