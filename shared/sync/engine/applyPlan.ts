import type { Container } from '../../app/container';
import type { TenantPlan } from '../contacts/changes';
import { usersFromList } from '../contacts/haloLists';
import { isMatched } from '../contacts/matchCompany';
import type { HaloAzureTenantLink, HaloClientWrite, HaloUserWrite } from '../contacts/types';
import { toHaloWrites } from '../contacts/writes';
import { DEDUPE, tenantKey } from './keys';

export interface ApplyResult {
  batches: number;
  /** Batches sent by this attempt (the others were sent by an earlier one). */
  sent: number;
  appliedChanges: number;
  /** Creates left out because an interrupted earlier attempt had already made those contacts. */
  recoveredCreates: number;
}

interface BatchClaim {
  dequeueCount: number;
  resource: string;
  records: number;
}

/**
 * Sends a tenant's plan to Halo in batches (≤100 records per POST), each recorded in the dedupe store, so that a
 * retried message never sends a batch twice. The plan itself is fixed by the first attempt (stored with the run).
 * A batch that an earlier delivery claimed but never completed may or may not have reached Halo: updates are
 * sent again (they are idempotent); creates are first checked against the company's contacts by object id.
 */
export async function applyPlan(
  deps: Pick<Container, 'halo' | 'stores' | 'config'>,
  input: { runId: string; plan: TenantPlan; dequeueCount: number },
): Promise<ApplyResult> {
  const { runId, plan, dequeueCount } = input;
  const dedupe = deps.stores.dedupe;
  const batches = toHaloWrites([plan], { batchSize: deps.config.tenantSync.halo.writeBatchSize });
  const result: ApplyResult = { batches: batches.length, sent: 0, appliedChanges: 0, recoveredCreates: 0 };
  for (const [index, batch] of batches.entries()) {
    const key = `${runId}/${tenantKey(plan.tenantId)}/${index}`;
    const busy = () =>
      new Error(
        `write batch ${index + 1} of ${batches.length} (${batch.resource}) for tenant ${plan.tenantId} is being sent by another delivery of this message; retrying later`,
      );
    const existing = await dedupe.get(DEDUPE.batch, key);
    if (existing?.status === 'completed') {
      result.appliedChanges += batch.changeCount;
      continue;
    }
    if (existing && claimedBy(existing.data) >= dequeueCount) throw busy();
    const data: BatchClaim = { dequeueCount, resource: batch.resource, records: batch.bodies.length };
    // A claim left by an earlier delivery is abandoned (that delivery failed or its lease ran out): take it over.
    const claim = await dedupe.claim(DEDUPE.batch, key, data, existing ? { staleAfterMs: 0 } : {});
    if (!claim.claimed) {
      if (claim.existing.status !== 'completed') throw busy();
      result.appliedChanges += batch.changeCount;
      continue;
    }
    let bodies = batch.bodies;
    if (claim.tookOver && batch.resource === '/Users') {
      const kept = await withoutCreatedContacts(deps, plan, bodies as HaloUserWrite[]);
      result.recoveredCreates += bodies.length - kept.length;
      bodies = kept;
    }
    if (batch.resource === '/Client') bodies = await withLiveTenantLinks(deps, bodies as HaloClientWrite[]);
    if (bodies.length > 0) await deps.halo.post(batch.resource, bodies);
    await dedupe.complete(DEDUPE.batch, key, { records: bodies.length });
    result.sent++;
    result.appliedChanges += batch.changeCount;
  }
  return result;
}

/**
 * Posting azure_tenants replaces a company's list, and the plan's list comes from the run's snapshot: another
 * tenant of this run (or a person in Halo) may have linked the same company since. So each link is merged with the
 * company's live links first — one read per linked company, and links are only written on a company's first match.
 */
async function withLiveTenantLinks(
  deps: Pick<Container, 'halo'>,
  bodies: readonly HaloClientWrite[],
): Promise<HaloClientWrite[]> {
  return Promise.all(
    bodies.map(async (body) => {
      const live = (await deps.halo.get(`/Client/${body.id}`, { includeazuretenants: true })) as {
        azure_tenants?: HaloAzureTenantLink[] | null;
      };
      const links = new Map<string, HaloAzureTenantLink>();
      for (const link of [...(live.azure_tenants ?? []).map(linkFields), ...body.azure_tenants]) {
        const id = link.azure_tenant_id.toLowerCase();
        links.set(id, { ...links.get(id), ...link });
      }
      return { ...body, azure_tenants: [...links.values()] };
    }),
  );
}

/** Only the link's own fields go back to Halo (the read adds others that its write schema does not allow). */
function linkFields(link: HaloAzureTenantLink): HaloAzureTenantLink {
  const { id, azure_tenant_id, azure_tenant_name, details_id, details_name } = link;
  return Object.fromEntries(
    Object.entries({ id, azure_tenant_id, azure_tenant_name, details_id, details_name }).filter(([, v]) => v != null),
  ) as unknown as HaloAzureTenantLink;
}

function claimedBy(data: unknown): number {
  const value = (data as Partial<BatchClaim> | null)?.dequeueCount;
  return typeof value === 'number' ? value : 0;
}

/** Drops the creates whose contact (by Entra object id) the company already has: one read, only when recovering. */
async function withoutCreatedContacts(
  deps: Pick<Container, 'halo'>,
  plan: TenantPlan,
  bodies: HaloUserWrite[],
): Promise<HaloUserWrite[]> {
  if (!isMatched(plan.match) || !bodies.some((b) => b.id === undefined)) return bodies;
  const contacts = usersFromList(
    await deps.halo.list('/Users', { key: 'users', query: { client_id: plan.match.clientId, includeinactive: true } }),
  );
  const known = new Set(contacts.map((c) => c.azureoid.trim().toLowerCase()).filter((oid) => oid !== ''));
  return bodies.filter((b) => b.id !== undefined || !known.has((b.azureoid ?? '').toLowerCase()));
}
