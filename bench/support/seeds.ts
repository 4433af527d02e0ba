import { loadDemoHaloSeed } from '../../dev/halo-sim';
import { DEMO_GRAPH_APP } from '../../dev/stack';

/** A Graph seed for an MSP: the partner tenant (the demo app's home) lists every customer tenant given. */
export function partnerGraphSeed<T extends { id: string }>(customers: readonly T[]) {
  return {
    app: { clientId: DEMO_GRAPH_APP.clientId, secrets: [DEMO_GRAPH_APP.secret] },
    tenants: [
      {
        id: DEMO_GRAPH_APP.homeTenantId,
        displayName: 'Bridge MSP',
        domains: [{ id: 'bridgemsp.com', isDefault: true, isVerified: true }],
        customers: customers.map((t) => t.id),
      },
      ...customers,
    ],
  };
}

/** The demo Halo's ticket setup (statuses, outcomes, types, agents, teams) for a benchmark's own Halo seed. */
export function demoHaloSetup() {
  const { statuses, outcomes, ticketTypes, agents, teams } = loadDemoHaloSeed();
  return { statuses, outcomes, ticketTypes, agents, teams };
}
