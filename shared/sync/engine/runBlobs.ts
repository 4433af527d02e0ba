import type { ReportStore } from '../../storage';
import type { TenantPlan } from '../contacts/changes';
import type { HaloSnapshot } from '../contacts/types';
import { blobPaths } from './keys';

const JSON_TYPE = 'application/json';

// Every tenant message of a run plans against the same snapshot: keep the last few parsed in memory, per store.
const snapshotCache = new WeakMap<ReportStore, Map<string, Promise<HaloSnapshot>>>();
const CACHED_RUNS = 2;

export async function putHaloSnapshot(reports: ReportStore, runId: string, snapshot: HaloSnapshot): Promise<string> {
  const path = blobPaths(runId).haloSnapshot;
  await reports.put(path, JSON.stringify(snapshot), JSON_TYPE);
  return path;
}

export function getHaloSnapshot(reports: ReportStore, runId: string): Promise<HaloSnapshot> {
  const path = blobPaths(runId).haloSnapshot;
  const cache = snapshotCache.get(reports) ?? new Map<string, Promise<HaloSnapshot>>();
  snapshotCache.set(reports, cache);
  const cached = cache.get(path);
  if (cached) return cached;
  const loading = readJson<HaloSnapshot>(reports, path).then((snapshot) => {
    if (!snapshot) throw new Error(`the Halo snapshot of run ${runId} is missing (${path})`);
    return snapshot;
  });
  loading.catch(() => cache.delete(path));
  cache.set(path, loading);
  while (cache.size > CACHED_RUNS) cache.delete(cache.keys().next().value as string);
  return loading;
}

export async function putPlan(reports: ReportStore, runId: string, plan: TenantPlan): Promise<void> {
  await reports.put(blobPaths(runId).plan(plan.tenantId), JSON.stringify(plan), JSON_TYPE);
}

/** The plan an earlier attempt stored, so that a retry applies the same plan (undefined before the first). */
export function getPlan(reports: ReportStore, runId: string, tenantId: string): Promise<TenantPlan | undefined> {
  return readJson<TenantPlan>(reports, blobPaths(runId).plan(tenantId));
}

async function readJson<T>(reports: ReportStore, path: string): Promise<T | undefined> {
  const blob = await reports.get(path);
  return blob ? (JSON.parse(blob.content.toString('utf8')) as T) : undefined;
}
