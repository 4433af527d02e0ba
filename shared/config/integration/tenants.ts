import { z } from 'zod';
import { haloId, ncrontab, nonEmpty, tenantId } from './common';

/** Microsoft 365 customer tenants → Halo companies and contacts (tenant sync). */
export const tenantSyncConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    schedule: ncrontab.default('0 0 2 * * *'),
    /** Where customer tenants come from: GDAP customers (falling back to contracts), or only those listed. */
    discovery: z.enum(['gdap', 'contracts', 'listed']).default('gdap'),
    include: z.array(z.object({ tenantId, name: nonEmpty.optional() })).default([]),
    exclude: z.array(tenantId).default([]),
    mode: z.enum(['match', 'plan', 'apply']).default('plan'),
    linkTenantOnMatch: z.boolean().default(true),
    contacts: z
      .object({
        licensedOnly: z.boolean().default(true),
        skipUpnContaining: z.array(nonEmpty).default(['admin']),
        deactivateMissing: z.boolean().default(true),
        keepActiveField: z
          .object({ name: nonEmpty, value: nonEmpty })
          .default({ name: 'CFM365SyncKeepActive', value: 'Y' }),
      })
      .prefault({}),
    halo: z
      .object({
        /** Read companies, sites and contacts through SQL reports (one request each) when the API app may. */
        useReports: z.boolean().default(true),
        defaultSiteId: haloId.optional(),
      })
      .prefault({}),
  })
  .strict();

export type TenantSyncConfig = z.infer<typeof tenantSyncConfigSchema>;
