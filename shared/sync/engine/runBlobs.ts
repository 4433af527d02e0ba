import type { ReportStore } from '../../storage';
import type { SourcePlan } from './definition';
import { blobPaths } from './keys';

const JSON_TYPE = 'application/json';

// Every source message of a run plans against the same snapshot: keep the last few parsed in memory, per store.
const snapshotCache = new WeakMap<ReportStore, Map<string, Promise<unknown>>>();
const CACHED_RUNS = 2;

/** A run-wide snapshot (e.g. Halo read in bulk once when the run starts), stored with the run. */
export async function putRunSnapshot(
  reports: ReportStore,
  storageName: string,
  runId: string,
  snapshot: unknown,
): Promise<string> {
  const path = blobPaths(storageName, runId).haloSnapshot;
  await reports.put(path, JSON.stringify(snapshot), JSON_TYPE);
  return path;
}

export function getRunSnapshot<T>(reports: ReportStore, storageName: string, runId: string): Promise<T> {
  const path = blobPaths(storageName, runId).haloSnapshot;
  const cache = snapshotCache.get(reports) ?? new Map<string, Promise<unknown>>();
  snapshotCache.set(reports, cache);
  const cached = cache.get(path);
  if (cached) return cached as Promise<T>;
  const loading = readJson<T>(reports, path).then((snapshot) => {
    if (!snapshot) throw new Error(`the snapshot of run ${runId} is missing (${path})`);
    return snapshot;
  });
  loading.catch(() => cache.delete(path));
  cache.set(path, loading);
  while (cache.size > CACHED_RUNS) cache.delete(cache.keys().next().value as string);
  return loading;
}

export async function putPlan(
  reports: ReportStore,
  storageName: string,
  runId: string,
  plan: SourcePlan,
): Promise<void> {
  await reports.put(blobPaths(storageName, runId).plan(plan.tenantId), JSON.stringify(plan), JSON_TYPE);
}

/** The plan an earlier attempt stored, so that a retry applies the same plan (undefined before the first). */
export function getPlan<P extends SourcePlan>(
  reports: ReportStore,
  storageName: string,
  runId: string,
  tenantId: string,
): Promise<P | undefined> {
  return readJson<P>(reports, blobPaths(storageName, runId).plan(tenantId));
}

async function readJson<T>(reports: ReportStore, path: string): Promise<T | undefined> {
  const blob = await reports.get(path);
  return blob ? (JSON.parse(blob.content.toString('utf8')) as T) : undefined;
}
