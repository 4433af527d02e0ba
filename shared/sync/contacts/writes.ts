import type { WriteBatch } from '../engine/definition';
import { toWriteBatches, type WriteRecord } from '../engine/writeBatches';
import type { TenantPlan } from './changes';
import type { HaloClientWrite, HaloUserWrite } from './types';

export type HaloWriteResource = '/Client' | '/Users';

/** One `POST <resource>` with an array body of at most `batchSize` records. */
export type HaloWriteBatch = WriteBatch<HaloClientWrite | HaloUserWrite> & { resource: HaloWriteResource };

/**
 * Turns plans into Halo write requests: companies first (links), then contacts. Changes to the same record are
 * merged into one body (later changes win field by field); creates are never merged. Ids must be integers.
 */
export function toHaloWrites(plans: readonly TenantPlan[], options: { batchSize?: number } = {}): HaloWriteBatch[] {
  const changes: WriteRecord<HaloClientWrite | HaloUserWrite>[] = plans.flatMap((p) => p.changes);
  return toWriteBatches(changes, {
    resources: ['/Client', '/Users'],
    merge: mergeBodies,
    ...options,
  }) as HaloWriteBatch[];
}

/** Later fields win, except tenant links, which are united so two tenants linked to one company both stay. */
function mergeBodies(
  earlier: HaloClientWrite | HaloUserWrite,
  later: HaloClientWrite | HaloUserWrite,
): HaloClientWrite | HaloUserWrite {
  const merged = { ...earlier, ...later };
  if ('azure_tenants' in earlier && 'azure_tenants' in later) {
    const links = new Map(earlier.azure_tenants.map((t) => [t.azure_tenant_id.toLowerCase(), t]));
    for (const t of later.azure_tenants) {
      const key = t.azure_tenant_id.toLowerCase();
      links.set(key, { ...links.get(key), ...t });
    }
    (merged as HaloClientWrite).azure_tenants = [...links.values()];
  }
  return merged;
}

/**
 * Halo requests for the plans the one-record-at-a-time way (as the community script writes): one request per
 * change, plus `readsPerTenant` reads per tenant (company lookup, its sites, its contacts: 3 by default).
 */
export function countPerRecordRequests(
  plans: readonly TenantPlan[],
  options: { readsPerTenant?: number } = {},
): number {
  const reads = (options.readsPerTenant ?? 3) * plans.length;
  return reads + plans.reduce((n, p) => n + p.changes.length, 0);
}

/**
 * Halo requests for the plans our way: `bulkReads` reads for the whole run (companies, sites and contacts as
 * reports or lists: 3 by default) plus one request per write batch.
 */
export function countBatchedRequests(
  plans: readonly TenantPlan[],
  options: { bulkReads?: number; batchSize?: number } = {},
): number {
  const { bulkReads = 3, ...rest } = options;
  return bulkReads + toHaloWrites(plans, rest).length;
}
