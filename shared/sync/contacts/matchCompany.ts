import { domainKey, emailDomain, nameKey, websiteHost } from '../common/normalise';
import type { HaloClient, HaloSnapshot, HaloUser, TenantSnapshot } from './types';

export type MatchRule = 'tenantId' | 'name' | 'website' | 'domain' | 'contactDomain';

export interface CompanyMatch {
  clientId: number;
  clientName: string;
  by: MatchRule;
  detail: string;
}

export interface CompanyUnmatched {
  unmatched: string;
  instruction: string;
  /** The companies that tied, when the reason is a tie. */
  candidates?: { clientId: number; clientName: string }[];
}

export type CompanyMatchResult = CompanyMatch | CompanyUnmatched;

export function isMatched(result: CompanyMatchResult): result is CompanyMatch {
  return 'clientId' in result;
}

interface Step {
  by: MatchRule;
  candidates: (clients: HaloClient[]) => HaloClient[];
  detail: (client: HaloClient) => string;
}

/**
 * Finds the Halo company of a tenant, trying five rules in order and stopping at the first that finds anything.
 * Exactly one candidate is a match. Two or more is a tie, and a tie STOPS the search as "ambiguous": a later,
 * weaker rule must not override a stronger one that already points at several companies. Inactive companies
 * are never candidates.
 */
export function matchCompany(
  tenant: TenantSnapshot,
  halo: Pick<HaloSnapshot, 'clients' | 'users'>,
): CompanyMatchResult {
  const active = halo.clients.filter((c) => !c.inactive);
  const tenantKey = tenant.tenantId.toLowerCase();
  const defaultDomain = domainKey(tenant.defaultDomain);
  const verified = new Set(tenant.verifiedDomains.map(domainKey));
  const contactDomains = contactDomainsByClient(halo.users);

  const steps: Step[] = [
    {
      by: 'tenantId',
      candidates: (cs) => cs.filter((c) => c.azure_tenants.some((t) => t.azure_tenant_id.toLowerCase() === tenantKey)),
      detail: () => `tenant ${tenant.tenantId} is linked on the company`,
    },
    {
      by: 'name',
      candidates: (cs) => cs.filter((c) => nameKey(c.name) !== '' && nameKey(c.name) === nameKey(tenant.displayName)),
      detail: (c) => `company name "${c.name}" equals tenant name "${tenant.displayName}"`,
    },
    {
      by: 'website',
      candidates: (cs) => cs.filter((c) => defaultDomain !== '' && websiteHost(c.website) === defaultDomain),
      detail: (c) => `website ${c.website} is the tenant's default domain ${defaultDomain}`,
    },
    {
      by: 'domain',
      candidates: (cs) => cs.filter((c) => verified.has(websiteHost(c.website))),
      detail: (c) => `website ${c.website} is the tenant's verified domain ${websiteHost(c.website)}`,
    },
    {
      by: 'contactDomain',
      candidates: (cs) => cs.filter((c) => [...(contactDomains.get(c.id) ?? [])].some((d) => verified.has(d))),
      detail: (c) => {
        const shared = [...(contactDomains.get(c.id) ?? [])].filter((d) => verified.has(d)).sort();
        return `contacts use the tenant's domain${shared.length > 1 ? 's' : ''} ${shared.join(', ')}`;
      },
    },
  ];

  for (const step of steps) {
    const found = step.candidates(active);
    if (found.length === 1) {
      const client = found[0]!;
      return { clientId: client.id, clientName: client.name, by: step.by, detail: step.detail(client) };
    }
    if (found.length > 1) return ambiguous(tenant, step.by, found);
  }
  return {
    unmatched: `no active Halo company matches tenant "${tenant.displayName}" by tenant id, name, website or contact domain`,
    instruction:
      `Set the website of the Halo company for ${tenant.displayName} to https://${defaultDomain || '<its domain>'} ` +
      `or link tenant ${tenant.tenantId} on its Azure tenants tab.`,
  };
}

function ambiguous(tenant: TenantSnapshot, by: MatchRule, found: HaloClient[]): CompanyUnmatched {
  const sorted = [...found].sort((a, b) => a.id - b.id);
  const names = sorted.map((c) => `"${c.name}" (#${c.id})`).join(' and ');
  return {
    unmatched: `ambiguous: rule "${by}" matches ${sorted.length} companies: ${names}`,
    instruction:
      `Link tenant ${tenant.tenantId} (${tenant.displayName}) on the Azure tenants tab of the one company it ` +
      `belongs to among ${names}; a linked tenant id always wins.`,
    candidates: sorted.map((c) => ({ clientId: c.id, clientName: c.name })),
  };
}

// Every tenant of a run is matched against the same Halo snapshot (treated as immutable): index it once.
const domainIndexCache = new WeakMap<readonly HaloUser[], Map<number, Set<string>>>();

function contactDomainsByClient(users: readonly HaloUser[]): Map<number, Set<string>> {
  const cached = domainIndexCache.get(users);
  if (cached) return cached;
  const byClient = new Map<number, Set<string>>();
  for (const user of users) {
    const domain = emailDomain(user.emailaddress);
    if (domain === '') continue;
    const set = byClient.get(user.client_id) ?? new Set<string>();
    set.add(domain);
    byClient.set(user.client_id, set);
  }
  domainIndexCache.set(users, byClient);
  return byClient;
}
