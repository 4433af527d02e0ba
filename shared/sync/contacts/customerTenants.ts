import type { TenantSyncConfig } from '../../config/integration/tenants';

export interface GdapCustomer {
  tenantId: string;
  displayName: string;
}

export interface PartnerContract {
  customerId: string;
  displayName: string;
  defaultDomainName?: string | null;
}

export type TenantSource = 'gdap' | 'contracts' | 'config';

export interface CustomerTenant {
  tenantId: string;
  displayName: string;
  defaultDomain?: string;
  source: TenantSource;
}

/**
 * The customer tenants to sync, in a stable order: GDAP customers first, then contracts that GDAP does not list
 * (DAP-only or not yet migrated customers), then `include`. De-duplicated by tenant id (first source wins; a
 * contract still lends its default domain). `exclude` always wins, even over `include`.
 * With `discovery: "contracts"` GDAP is ignored; with `"listed"` only `include` counts.
 * `undefined` inputs mean "not read" (e.g. the permission is missing) and count as empty.
 */
export function customerTenants(input: {
  gdapCustomers?: readonly GdapCustomer[];
  contracts?: readonly PartnerContract[];
  config: Pick<TenantSyncConfig, 'discovery' | 'include' | 'exclude'>;
}): CustomerTenant[] {
  const { config } = input;
  const excluded = new Set(config.exclude.map((id) => id.toLowerCase()));
  const byId = new Map<string, CustomerTenant>();
  const add = (tenant: CustomerTenant) => {
    const key = tenant.tenantId.toLowerCase();
    if (excluded.has(key)) return;
    const existing = byId.get(key);
    if (!existing) byId.set(key, tenant);
    else if (existing.defaultDomain === undefined && tenant.defaultDomain !== undefined) {
      existing.defaultDomain = tenant.defaultDomain;
    }
  };
  if (config.discovery === 'gdap') {
    for (const c of input.gdapCustomers ?? [])
      add({ tenantId: c.tenantId, displayName: c.displayName, source: 'gdap' });
  }
  if (config.discovery !== 'listed') {
    for (const c of input.contracts ?? []) {
      add({
        tenantId: c.customerId,
        displayName: c.displayName,
        ...(c.defaultDomainName ? { defaultDomain: c.defaultDomainName } : {}),
        source: 'contracts',
      });
    }
  }
  for (const c of config.include) add({ tenantId: c.tenantId, displayName: c.name ?? c.tenantId, source: 'config' });
  return [...byId.values()];
}
