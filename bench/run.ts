import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from './types';

/**
 * `npm run bench [name-filter...]`: runs every benchmark in bench/*.bench.ts and prints one line per figure.
 * Benchmarks run against local simulators and Azurite, so figures are comparable between runs on one machine.
 */
async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  let failed = 0;
  for (const file of files) {
    const benchmarks: Benchmark[] = (await import(join(__dirname, file))).benchmarks;
    for (const bench of benchmarks) {
      if (filters.length > 0 && !filters.some((f) => bench.name.includes(f))) continue;
      process.stdout.write(`# ${bench.name}\n`);
      try {
        for (const figure of await bench.run()) {
          process.stdout.write(`${bench.name} | ${figure.name}: ${formatValue(figure.value)} ${figure.unit}\n`);
        }
      } catch (error) {
        failed++;
        process.stdout.write(`${bench.name} | FAILED: ${(error as Error).stack ?? error}\n`);
      }
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

void main();
