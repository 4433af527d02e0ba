import type { Container } from '../../app/container';
import type { WriteBatch } from '../engine/definition';
import type { TenantPlan } from './changes';
import { usersFromList } from './haloLists';
import { isMatched } from './matchCompany';
import type { HaloAzureTenantLink, HaloClientWrite, HaloUserWrite } from './types';

/**
 * The contact sync's last look before a batch goes to Halo: tenant links are merged with the company's live
 * links (always), and a contact batch that an interrupted attempt may have sent leaves out the contacts that
 * exist now (only when recovering).
 */
export async function beforeSendContactWrites(
  deps: Pick<Container, 'halo'>,
  batch: WriteBatch,
  context: { plan: TenantPlan; recovering: boolean },
): Promise<unknown[]> {
  if (batch.resource === '/Client') return withLiveTenantLinks(deps, batch.bodies as HaloClientWrite[]);
  if (batch.resource === '/Users' && context.recovering) {
    return withoutCreatedContacts(deps, context.plan, batch.bodies as HaloUserWrite[]);
  }
  return batch.bodies;
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

/**
 * Drops the creates whose contact the company already has: one read, only when recovering. Halo's list rows carry
 * no `azureoid` (the OpenAPI's Users_List), so a contact is known by its Entra object id where the row has one, else
 * by its email address (a create is only planned for an address the company did not have).
 */
async function withoutCreatedContacts(
  deps: Pick<Container, 'halo'>,
  plan: TenantPlan,
  bodies: HaloUserWrite[],
): Promise<HaloUserWrite[]> {
  if (!isMatched(plan.match) || !bodies.some((b) => b.id === undefined)) return bodies;
  const contacts = usersFromList(
    await deps.halo.list('/Users', { key: 'users', query: { client_id: plan.match.clientId, includeinactive: true } }),
  );
  const known = new Set(
    contacts
      .flatMap((c) => [c.azureoid, c.emailaddress])
      .map(normalized)
      .filter((key) => key !== ''),
  );
  const created = (b: HaloUserWrite) => [b.azureoid, b.emailaddress].some((key) => known.has(normalized(key)));
  return bodies.filter((b) => b.id !== undefined || !created(b));
}

const normalized = (key: string | undefined) => (key ?? '').trim().toLowerCase();
