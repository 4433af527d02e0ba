import { join } from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import { startLocalStorage } from '../dev/azurite';
import { type LocalRunner, readHostJson, startLocalRunner } from '../dev/runner';
import type { Container } from '../shared/app/container';
import { silentLogger } from '../shared/runtime/logger';
import { type Benchmark, type Figure, percentile } from './types';

const QUEUE = 'bench-round-trip';
const ONE_BY_ONE = 200;
const BURST = 500;
const SEND_CONCURRENCY = 16;

/** A runner on Azurite with the repository's host.json; `arrived` resolves when the handler sees message `n`. */
async function withRunner<T>(
  run: (ctx: { queue: QueueClient; arrived: (n: number) => Promise<number>; runner: LocalRunner }) => Promise<T>,
): Promise<T> {
  const storage = await startLocalStorage();
  const hostJson = readHostJson(join(__dirname, '../host.json'));
  process.stdout.write(`# host.json extensions.queues (ms): ${JSON.stringify(hostJson.extensions.queues)}\n`);
  const waiting = new Map<number, (at: number) => void>();
  const seen = new Map<number, number>();
  const runner = await startLocalRunner({
    functions: [
      {
        kind: 'queue',
        name: 'benchSink',
        queueName: QUEUE,
        handler: async (message) => {
          const n = (message as { n: number }).n;
          const at = performance.now();
          seen.set(n, at);
          waiting.get(n)?.(at);
        },
      },
    ],
    container: {} as unknown as Container,
    storageConnectionString: storage.connectionString,
    hostJson,
    keys: { functionKey: 'bench-function-key', masterKey: 'bench-master-key' },
    settings: {},
    log: silentLogger,
  });
  const arrived = (n: number) => {
    const at = seen.get(n);
    return at !== undefined ? Promise.resolve(at) : new Promise<number>((resolve) => waiting.set(n, resolve));
  };
  try {
    return await run({ queue: new QueueClient(storage.connectionString, QUEUE), arrived, runner });
  } finally {
    await runner.stop();
    await storage.stop();
  }
}

const encode = (n: number) => Buffer.from(JSON.stringify({ n })).toString('base64');

export const benchmarks: Benchmark[] = [
  {
    name: 'queue round trip (local runner + Azurite)',
    run: () =>
      withRunner(async ({ queue, arrived }) => {
        const samples: number[] = [];
        for (let n = 0; n < ONE_BY_ONE; n++) {
          const sent = performance.now();
          await queue.sendMessage(encode(n));
          samples.push((await arrived(n)) - sent);
        }
        const figures: Figure[] = [
          { name: `enqueue → handler p50 (${ONE_BY_ONE} one by one)`, value: percentile(samples, 50), unit: 'ms' },
          { name: `enqueue → handler p95 (${ONE_BY_ONE} one by one)`, value: percentile(samples, 95), unit: 'ms' },
        ];
        return figures;
      }),
  },
  {
    name: 'queue burst (local runner + Azurite)',
    run: () =>
      withRunner(async ({ queue, arrived, runner }) => {
        const started = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: SEND_CONCURRENCY }, async () => {
            while (next < BURST) await queue.sendMessage(encode(next++));
          }),
        );
        const enqueued = performance.now();
        const last = Math.max(...(await Promise.all(Array.from({ length: BURST }, (_, n) => arrived(n)))));
        await runner.drain({ idleMs: 50 });
        const stats = runner.stats().benchSink;
        if (stats?.successes !== BURST) throw new Error(`expected ${BURST} successes, got ${stats?.successes}`);
        return [
          { name: `enqueue ${BURST} (concurrency ${SEND_CONCURRENCY})`, value: enqueued - started, unit: 'ms' },
          { name: `burst of ${BURST}: first send → last handled`, value: last - started, unit: 'ms' },
          { name: 'burst throughput', value: BURST / ((last - started) / 1000), unit: 'msg/s' },
        ];
      }),
  },
];
