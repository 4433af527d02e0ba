import type { Container } from '../../app/container';

/**
 * Which Halo agent is which Entra user. Halo's agent (`Uname`) has no `azureoid` (entra-intune.md §B1.1), so the
 * sync keeps its own map in the checkpoints table: one row per agent it created or matched, written as soon as
 * Halo answers (so a retry or the next run finds the agent even if its email changed since). It is the first
 * way an agent is found; then the linked user's `azureoid` (Halo's own integration links agents through their
 * user record); then the matching fields (email by default). The README's Halo-assumptions table names it.
 */
const scope = (tenantId: string) => `entra-agents:${tenantId.toLowerCase()}`;

export interface AgentLink {
  readonly agentId: number;
  /** The email the agent was created or matched with (a recovery look-up finds it by this). */
  readonly email: string;
  readonly since: string;
}

export async function readAgentLinks(
  deps: Pick<Container, 'stores'>,
  tenantId: string,
): Promise<Record<string, number>> {
  const rows = await deps.stores.checkpoints.list(scope(tenantId));
  const out: Record<string, number> = {};
  for (const row of rows) {
    try {
      const link = JSON.parse(row.value) as Partial<AgentLink>;
      if (typeof link.agentId === 'number') out[row.key] = link.agentId;
    } catch {
      // A row that does not read is no link: the agent is found by the other ways.
    }
  }
  return out;
}

export async function writeAgentLink(
  deps: Pick<Container, 'stores' | 'now'>,
  tenantId: string,
  oid: string,
  link: Omit<AgentLink, 'since'>,
): Promise<void> {
  const value: AgentLink = { ...link, since: deps.now().toISOString() };
  await deps.stores.checkpoints.put(scope(tenantId), oid.toLowerCase(), JSON.stringify(value));
}

/** A user deleted for good (hard delete): its agent is no longer Entra's. */
export async function forgetAgentLink(deps: Pick<Container, 'stores'>, tenantId: string, oid: string): Promise<void> {
  await deps.stores.checkpoints.delete(scope(tenantId), oid.toLowerCase());
}
