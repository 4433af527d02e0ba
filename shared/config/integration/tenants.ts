import { z } from 'zod';
import { haloId, ncrontab, nonEmpty, tenantId } from './common';

/** Microsoft 365 customer tenants → Halo companies and contacts (tenant sync). */
export const tenantSyncConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    schedule: ncrontab.default('0 0 2 * * *'),
    /** Where customer tenants come from: GDAP customers (falling back to contracts), or only those listed. */
    discovery: z.enum(['gdap', 'contracts', 'listed']).default('gdap'),
    /** Tenants synced in addition to the discovered ones (or the only ones, with `discovery: "listed"`). */
    include: z.array(z.object({ tenantId, name: nonEmpty.optional() }).strict()).default([]),
    /** Tenants never synced, whatever the discovery says. */
    exclude: z.array(tenantId).default([]),
    /** match: report company matches only; plan: report every change; apply: make the changes in Halo. */
    mode: z.enum(['match', 'plan', 'apply']).default('plan'),
    /** Link the tenant id onto a company matched by name, website or domain, so the next run matches by id. */
    linkTenantOnMatch: z.boolean().default(true),
    contacts: z
      .object({
        /** Only users with at least one assigned licence count as present (created, kept active). */
        licensedOnly: z.boolean().default(true),
        /** B2B guests (`userType: Guest`, `#EXT#` UPNs) count as the tenant's users only when this is on. */
        includeGuests: z.boolean().default(false),
        /** Users whose UPN contains one of these (case-insensitive) are never created. */
        skipUpnContaining: z.array(nonEmpty).default(['admin']),
        createMissing: z.boolean().default(true),
        updateChanged: z.boolean().default(true),
        deactivateMissing: z.boolean().default(true),
        /** A contact whose custom field has this value (or display text) is never deactivated. */
        keepActiveField: z
          .object({ name: nonEmpty, value: z.union([nonEmpty, z.number().int()]).transform(String) })
          .strict()
          .default({ name: 'CFM365SyncKeepActive', value: 'Y' }),
      })
      .strict()
      .prefault({}),
    halo: z
      .object({
        /** Read companies, sites and contacts through SQL reports (one request each) when the API app may. */
        useReports: z.boolean().default(true),
        /** Site for new contacts of a company without a main site. */
        defaultSiteId: haloId.optional(),
        /** Records per write request (Halo takes arrays; 100 is the documented batch size). */
        writeBatchSize: z.number().int().min(1).max(100).default(100),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type TenantSyncConfig = z.infer<typeof tenantSyncConfigSchema>;
