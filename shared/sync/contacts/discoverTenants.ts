import type { TenantSyncConfig } from '../../config/integration/tenants';
import type { GraphClientFactory } from '../../graph';
import type { Logger } from '../../runtime/logger';
import { type CustomerTenant, customerTenants } from './customerTenants';
import { parseContracts, parseGdapCustomers } from './graphInput';

/**
 * The customer tenants to sync, from the partner tenant: GDAP customers and CSP contracts (the fallback for
 * customers GDAP does not list), minus exclusions, plus listed ones. A source that cannot be read counts as
 * empty and is logged; when every source the discovery needs fails, the run cannot start.
 */
export async function discoverTenants(
  graph: GraphClientFactory,
  config: TenantSyncConfig,
  log: Logger,
): Promise<CustomerTenant[]> {
  if (config.discovery === 'listed') return customerTenants({ config });
  const home = graph.home();
  const problems: string[] = [];
  const read = async <T>(what: string, load: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
      log.warn(`tenant sync: could not read ${what} from the partner tenant`, { error });
      return undefined;
    }
  };
  // A row without a usable tenant id is left out (and logged with the reason); the others are synced.
  const rows = <T>(what: string, parsed: { items: T[]; skipped: { index: number; reason: string }[] }) => {
    for (const row of parsed.skipped) log.warn(`tenant sync: a ${what} row was left out`, { ...row });
    return parsed.items;
  };
  const gdapCustomers =
    config.discovery === 'gdap'
      ? await read('delegatedAdminCustomers', async () =>
          rows('delegatedAdminCustomers', parseGdapCustomers(await home.listDelegatedAdminCustomers())),
        )
      : undefined;
  const contracts = await read('contracts', async () => rows('contracts', parseContracts(await home.listContracts())));
  const needed = config.discovery === 'gdap' ? 2 : 1;
  if (problems.length >= needed && config.include.length === 0) {
    throw new Error(`no customer tenant source could be read: ${problems.join('; ')}`);
  }
  return customerTenants({ gdapCustomers, contracts, config });
}
