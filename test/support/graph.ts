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
