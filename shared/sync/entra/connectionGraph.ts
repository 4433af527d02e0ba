import type { EntraConnection } from '../../config/integration/entra';
import type { TenantGraphClient } from '../../graph';
import type { SyncDeps } from '../engine/definition';

export const SHARED_APP_MISSING =
  'this Entra connection uses the shared multitenant app, but no Graph app is configured (GRAPH_CLIENT_ID, GRAPH_HOME_TENANT_ID)';

/**
 * Graph for one connection: the bridge's shared multitenant app, or the connection's own app registration with
 * its client secret or certificate read from Key Vault (never from the config).
 */
export async function graphForConnection(
  deps: Pick<SyncDeps, 'graph' | 'graphForApp' | 'secrets'>,
  connection: EntraConnection,
): Promise<TenantGraphClient> {
  const { app, tenantId } = connection;
  switch (app.kind) {
    case 'shared':
      if (!deps.graph) throw new Error(SHARED_APP_MISSING);
      return deps.graph.forTenant(tenantId);
    case 'clientSecret': {
      const secret = await deps.secrets.get(app.secretName);
      return deps
        .graphForApp({ clientId: app.clientId, homeTenantId: tenantId, credential: { kind: 'secret', secret } })
        .forTenant(tenantId);
    }
    case 'certificate': {
      const pem = await deps.secrets.get(app.certificateSecretName);
      return deps
        .graphForApp({ clientId: app.clientId, homeTenantId: tenantId, credential: { kind: 'certificate', pem } })
        .forTenant(tenantId);
    }
  }
}

/** The connection of a tenant, from the config. */
export function connectionOf(connections: readonly EntraConnection[], tenantId: string): EntraConnection | undefined {
  return connections.find((c) => c.tenantId.toLowerCase() === tenantId.toLowerCase());
}
