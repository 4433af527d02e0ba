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
 * Drops the creates whose contact the company already has: one read, only when recovering. Halo's /Users list rows
 * do not carry `azureoid` (the `Users_List` schema has no such field; the simulator serves them cut down the same
 * way), so a contact is recognised by its Entra object id when the row has one, else by its email address, which
 * list rows do carry and which the create sent.
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
  const normal = (value: string | undefined) => (value ?? '').trim().toLowerCase();
  const oids = new Set(contacts.map((c) => normal(c.azureoid)).filter((oid) => oid !== ''));
  const emails = new Set(contacts.map((c) => normal(c.emailaddress)).filter((email) => email !== ''));
  const exists = (body: HaloUserWrite) =>
    (normal(body.azureoid) !== '' && oids.has(normal(body.azureoid))) ||
    (normal(body.emailaddress) !== '' && emails.has(normal(body.emailaddress)));
  return bodies.filter((body) => body.id !== undefined || !exists(body));
}
