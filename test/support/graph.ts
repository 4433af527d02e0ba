import type { GraphSimulator } from '../../dev/graph-sim';
import { createGraphClientFactory, type GraphClientFactory, type GraphClientFactoryOptions } from '../../shared/graph';
import { silentLogger } from '../../shared/runtime/logger';

export const PARTNER = '99999999-9999-4999-8999-999999999999';

/** The Graph adapter pointed at the simulator, signed in as its demo app (secret); options override any of it. */
export function simulatorGraph(
  sim: GraphSimulator,
  options: Partial<GraphClientFactoryOptions> = {},
): GraphClientFactory {
  return createGraphClientFactory({
    clientId: sim.store.app.clientId,
    credential: { kind: 'secret', secret: sim.store.app.secrets[0]! },
    homeTenantId: PARTNER,
    baseUrl: sim.url,
    authorityHost: sim.authorityHost,
    log: silentLogger,
    ...options,
  });
}

/** The simulator's Entra token endpoint for `tenantId`, asked for a client-credentials token as the demo app. */
export function requestSimulatorToken(sim: GraphSimulator, tenantId: string): Promise<Response> {
  return fetch(`${sim.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.store.app.clientId,
      client_secret: sim.store.app.secrets[0]!,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
}

export async function simulatorToken(sim: GraphSimulator, tenantId: string = PARTNER): Promise<string> {
  const response = await requestSimulatorToken(sim, tenantId);
  return ((await response.json()) as { access_token: string }).access_token;
}
