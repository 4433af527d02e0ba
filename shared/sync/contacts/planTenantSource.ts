import type { RunContext, SyncDeps } from '../engine/definition';
import { getRunSnapshot } from '../engine/runBlobs';
import type { SourceState } from '../engine/tenantState';
import type { TenantPlan } from './changes';
import { CONTACT_SYNC_STORAGE, GRAPH_NOT_CONFIGURED } from './constants';
import { GRAPH_USER_SELECT, type SkippedRow, tenantSnapshotFromGraph } from './graphInput';
import { planTenant } from './plan';
import type { HaloSnapshot } from './types';

/**
 * The reader and the planner for one customer tenant: the tenant from Graph with one client (its organisation,
 * domains, and users with `$select`), planned against the run's Halo snapshot.
 */
export async function planTenantSource(deps: SyncDeps, run: RunContext, source: SourceState): Promise<TenantPlan> {
  if (!deps.graph) throw new Error(GRAPH_NOT_CONFIGURED);
  const graph = deps.graph.forTenant(source.tenantId);
  // The organisation first: it fetches the tenant's one token, which the other two reuse.
  const organization = await graph.getOrganization();
  const skippedRows: SkippedRow[] = [];
  const [domains, users] = await Promise.all([
    graph.listDomains(),
    graph.listUsers({ select: GRAPH_USER_SELECT, onSkipped: (row) => skippedRows.push(row) }),
  ]);
  const tenant = tenantSnapshotFromGraph({
    tenantId: source.tenantId,
    displayName: organization.displayName || source.displayName,
    domains,
    users,
    skippedRows,
  });
  const halo = await getRunSnapshot<HaloSnapshot>(deps.reports, CONTACT_SYNC_STORAGE, run.runId);
  return planTenant(tenant, halo, deps.config.tenantSync, { contacts: run.mode !== 'match' });
}
