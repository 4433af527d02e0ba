import { generateHaloSeed, startHaloSimulator } from '../dev/halo-sim';
import { createHaloClient, HALO_DEFAULT_RATE_LIMIT } from '../shared/halo';
import { silentLogger } from '../shared/runtime/logger';
import type { Benchmark, Figure } from './types';

/** Minutes the default Halo limit (300 requests per rolling 5 minutes) would impose on `requests` requests. */
function minutesAtDefaultLimit(requests: number): number {
  const windows = Math.max(0, Math.ceil(requests / HALO_DEFAULT_RATE_LIMIT.requests) - 1);
  return (windows * HALO_DEFAULT_RATE_LIMIT.windowMs) / 60_000;
}

async function withSimulator(
  users: number,
  work: (client: ReturnType<typeof createHaloClient>) => Promise<number>,
): Promise<Figure[]> {
  const sim = await startHaloSimulator({
    seed: generateHaloSeed({ clients: 100, usersPerClient: users / 100 - 1 }),
    rateLimit: { requests: 1_000_000, windowMs: 300_000 },
  });
  try {
    const client = createHaloClient({
      baseUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      rateLimit: { requests: 1_000_000, windowMs: 300_000 },
      log: silentLogger,
    });
    await client.listStatuses();
    const before = client.stats().requests;
    const started = performance.now();
    const items = await work(client);
    const wallMs = performance.now() - started;
    const requests = client.stats().requests - before;
    return [
      { name: 'records', value: items, unit: 'records' },
      { name: 'requests', value: requests, unit: 'requests' },
      { name: 'wall time (rate limit raised)', value: wallMs, unit: 'ms' },
      { name: 'floor at the default 300/5 min limit', value: minutesAtDefaultLimit(requests), unit: 'min' },
      { name: 'one request per record at the default limit', value: minutesAtDefaultLimit(items), unit: 'min' },
    ];
  } finally {
    await sim.stop();
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'halo: read 10,000 users (pages of 100)',
    run: () => withSimulator(10_000, async (client) => (await client.listUsers()).length),
  },
  {
    name: 'halo: write 1,000 user updates (arrays of 100)',
    run: () =>
      withSimulator(10_000, async (client) => {
        // generateHaloSeed numbers each client's users from 10,000 + 100 × (client − 1); +0 is its General User.
        const patches = Array.from({ length: 1_000 }, (_, i) => ({
          id: 10_000 + 100 * Math.floor(i / 99) + (i % 99) + 1,
          inactive: true,
        }));
        return (await client.updateUsers(patches)).length;
      }),
  },
];
