import { z } from 'zod';
import { haloFlag, haloInt, haloOptionalText, haloText, optionalHaloInt } from '../common/haloFields';
import { parseWith } from '../common/parseInput';
import { dropUndefined } from './contactFields';
import type { HaloAzureTenantLink, HaloClient, HaloSite, HaloSnapshot, HaloUser } from './types';

/**
 * Mappers from Halo's paged API lists (`GET /Client?includeazuretenants=true&includeinactive=true`,
 * `GET /Site`, `GET /Users?includeinactive=true`, 100 rows a page) to the snapshot. Unknown fields are ignored.
 */

const azureTenantSchema = z.object({
  id: optionalHaloInt,
  azure_tenant_id: z.string().trim().min(1),
  azure_tenant_name: z.string().nullish(),
  details_id: optionalHaloInt,
  details_name: z.string().nullish(),
});

export const haloClientSchema = z.object({
  id: haloInt,
  name: haloText,
  website: z.string().nullish(),
  inactive: haloFlag,
  main_site_id: optionalHaloInt,
  azure_tenants: z.array(azureTenantSchema).nullish(),
});

export const haloSiteSchema = z.object({
  id: haloInt,
  client_id: haloInt,
  name: haloOptionalText,
  line1: haloOptionalText,
  inactive: haloFlag,
});

const customFieldSchema = z.object({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  display: z.union([z.string(), z.number(), z.null()]).optional(),
});

export const haloUserSchema = z.object({
  id: haloInt,
  client_id: haloInt,
  site_id: optionalHaloInt,
  name: haloText,
  firstname: haloOptionalText,
  surname: haloOptionalText,
  title: haloOptionalText,
  emailaddress: haloText,
  email2: haloOptionalText,
  email3: haloOptionalText,
  phonenumber: haloOptionalText,
  mobilenumber: haloOptionalText,
  fax: haloOptionalText,
  azureoid: haloText,
  inactive: haloFlag,
  customfields: z.array(customFieldSchema).nullish(),
});

export function toAzureTenantLink(t: z.output<typeof azureTenantSchema>): HaloAzureTenantLink {
  return dropUndefined({
    id: t.id,
    azure_tenant_id: t.azure_tenant_id,
    azure_tenant_name: t.azure_tenant_name ?? undefined,
    details_id: t.details_id,
    details_name: t.details_name ?? undefined,
  });
}

export function clientsFromList(raw: unknown, source = 'Halo /Client list'): HaloClient[] {
  return parseWith(z.array(haloClientSchema), raw, source).map((c) =>
    dropUndefined({
      id: c.id,
      name: c.name,
      website: c.website ?? null,
      inactive: c.inactive,
      main_site_id: c.main_site_id,
      azure_tenants: (c.azure_tenants ?? []).map(toAzureTenantLink),
    }),
  );
}

/** Inactive sites are left out: new contacts must not land on them. */
export function sitesFromList(raw: unknown, source = 'Halo /Site list'): HaloSite[] {
  return parseWith(z.array(haloSiteSchema), raw, source)
    .filter((s) => !s.inactive)
    .map((s) => dropUndefined({ id: s.id, client_id: s.client_id, name: s.name, line1: s.line1 }));
}

export function usersFromList(raw: unknown, source = 'Halo /Users list'): HaloUser[] {
  return parseWith(z.array(haloUserSchema), raw, source).map((u) => {
    const { customfields, ...rest } = u;
    return dropUndefined({
      ...rest,
      customfields: (customfields ?? []).map((f) =>
        dropUndefined({
          name: f.name,
          value: f.value === null || f.value === undefined ? '' : String(f.value),
          display: f.display === null || f.display === undefined ? undefined : String(f.display),
        }),
      ),
    });
  });
}

export function haloSnapshotFromLists(lists: { clients: unknown; sites: unknown; users: unknown }): HaloSnapshot {
  return {
    clients: clientsFromList(lists.clients),
    sites: sitesFromList(lists.sites),
    users: usersFromList(lists.users),
  };
}

const azureMappingSchema = z.object({
  azure_tenant_id: z.string().trim().min(1),
  azure_tenant_name: z.string().nullish(),
  client_id: haloInt,
});

/**
 * Adds the tenant links of Halo's Azure AD connections (`GET /azureadconnection/{id}?includedetails=true`
 * → `mappings_client[]`) to clients read without `azure_tenants` (e.g. from a SQL report).
 */
export function withAzureMappings(clients: readonly HaloClient[], mappings: unknown): HaloClient[] {
  const parsed = parseWith(z.array(azureMappingSchema), mappings, 'Halo azureadconnection mappings_client');
  return clients.map((client) => {
    const links = [...client.azure_tenants];
    for (const m of parsed.filter((x) => x.client_id === client.id)) {
      if (links.some((l) => l.azure_tenant_id.toLowerCase() === m.azure_tenant_id.toLowerCase())) continue;
      links.push(
        dropUndefined({ azure_tenant_id: m.azure_tenant_id, azure_tenant_name: m.azure_tenant_name ?? undefined }),
      );
    }
    return { ...client, azure_tenants: links };
  });
}
