import type { Logger } from '../../runtime/logger';
import { discoverTenants } from '../contacts/discoverTenants';
import type { SyncDeps, SyncSource } from '../engine/definition';
import { INTUNE_GRAPH_NOT_CONFIGURED } from './constants';

/**
 * The tenants whose devices a run reads: for an MSP, the customer tenants tenant sync finds (GDAP, contracts,
 * `tenantSync.include` / `exclude`: the same consent), narrowed by `intuneSync.sources.only` / `exclude`; for one
 * organisation, each configured connection.
 */
export async function listIntuneSources(deps: SyncDeps, log: Logger): Promise<SyncSource[]> {
  const { sources } = deps.config.intuneSync;
  if (sources.kind === 'connections') {
    return sources.connections.map((c) => ({
      tenantId: c.tenantId,
      displayName: c.name ?? `connection ${c.tenantId}`,
      source: 'connection',
    }));
  }
  if (!deps.graph) throw new Error(INTUNE_GRAPH_NOT_CONFIGURED);
  const only = new Set(sources.only.map((id) => id.toLowerCase()));
  const excluded = new Set(sources.exclude.map((id) => id.toLowerCase()));
  const tenants = await discoverTenants(deps.graph, deps.config.tenantSync, log);
  return tenants
    .filter((t) => (only.size === 0 || only.has(t.tenantId.toLowerCase())) && !excluded.has(t.tenantId.toLowerCase()))
    .map((t) => ({ tenantId: t.tenantId, displayName: t.displayName, source: t.source }));
}
