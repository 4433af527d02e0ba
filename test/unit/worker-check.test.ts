import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { exportPrivateKey, exportPublicKey, generateSigningKeyPair, keyIdOf } from '../../shared/jobs';
import { checkWorker } from '../../worker/check';
import { parseWorkerConfig } from '../../worker/config';
import type { WorkerQueues } from '../../worker/workerQueues';

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'worker', 'examples');

function queues(): WorkerQueues & { peeks: number } {
  const fake = {
    peeks: 0,
    receive: async () => [],
    extendLease: async () => 'receipt',
    delete: async () => {},
    sendResult: async () => {},
    peekJobs: async () => {
      fake.peeks += 1;
      return 0;
    },
  };
  return fake;
}

function config(overrides: Record<string, unknown> = {}) {
  const cloud = generateSigningKeyPair();
  return parseWorkerConfig(
    {
      workerId: 'srv-01',
      workerGroup: 'default',
      queue: { connectionString: 'UseDevelopmentStorage=true' },
      scriptFolder: join(EXAMPLES, 'scripts'),
      scripts: { 'hello.sh': {} },
      cloudPublicKeys: [exportPublicKey(cloud.publicKey)],
      privateKeyFile: '/etc/halo-worker/worker.key',
      stateDirectory: '/var/lib/halo-worker',
      ...overrides,
    },
    EXAMPLES,
  );
}

async function check(input: Partial<Parameters<typeof checkWorker>[0]>) {
  const lines = await checkWorker({
    config: config(),
    privateKey: { text: exportPrivateKey(generateSigningKeyPair().privateKey) },
    queues: queues(),
    env: process.env,
    platform: 'linux',
    ...input,
  });
  return lines.map((line) => `${line.ok ? 'ok' : 'FAIL'} ${line.text}`);
}

describe('worker check', () => {
  it('reports the keyId of the public half of a raw base64 private key, as keygen and run do', async () => {
    const pair = generateSigningKeyPair();
    const lines = await check({ privateKey: { text: exportPrivateKey(pair.privateKey, 'raw') } });
    assert.ok(
      lines.includes(`ok worker key ok, keyId ${keyIdOf(pair.publicKey)} (register its public key)`),
      lines.join('\n'),
    );
  });

  it('refuses a public key in privateKeyFile (run would fail on it)', async () => {
    const pair = generateSigningKeyPair();
    const lines = await check({ privateKey: { text: exportPublicKey(pair.publicKey) } });
    assert.ok(
      lines.some((line) => /^FAIL privateKeyFile .* holds a public key/.test(line)),
      lines.join('\n'),
    );
  });

  it('says once, by path, that the key file is missing and how to make it', async () => {
    const lines = await check({ privateKey: { readError: 'ENOENT: no such file or directory' } });
    const keyLines = lines.filter((line) => /key/i.test(line) && !line.includes('cloud public key'));
    assert.deepEqual(keyLines, [
      'FAIL privateKeyFile /etc/halo-worker/worker.key cannot be read (ENOENT: no such file or directory); create it with: npm run worker -- keygen --out /etc/halo-worker/worker.key',
    ]);
  });

  it('names the example placeholders instead of trying the queue with them', async () => {
    const example = JSON.parse(readFileSync(join(EXAMPLES, 'worker.config.json'), 'utf8'));
    const fake = queues();
    const lines = await check({ config: parseWorkerConfig(example, EXAMPLES), queues: fake });
    assert.ok(
      lines.some((line) => /^FAIL cloudPublicKeys\[0\]: still the example placeholder/.test(line)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) => /^FAIL queue\.serviceUrl: still the example placeholder/.test(line)),
      lines.join('\n'),
    );
    assert.equal(fake.peeks, 0);
  });
});
