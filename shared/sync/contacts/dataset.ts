import { mulberry32 } from '../../runtime/random';
import { desiredContactFields } from './contactFields';
import type { MatchRule } from './matchCompany';
import type { GraphUser, HaloClient, HaloSite, HaloSnapshot, HaloUser, TenantSnapshot } from './types';

export interface SyncDataset {
  seed: number;
  tenants: TenantSnapshot[];
  halo: HaloSnapshot;
  /** How each tenant is meant to match (the generator builds its company for that rule). */
  expectedMatch: Record<string, MatchRule | 'unmatched'>;
}

const RULES: readonly (MatchRule | 'unmatched')[] = [
  'tenantId',
  'name',
  'website',
  'domain',
  'contactDomain',
  'unmatched',
];
const BRANCH_STREET = 'Branch Road';

/**
 * Benchmark and test data: tenants cycling through the five match rules plus an unmatched one; for each matched
 * company a main and a branch site, a General User, contacts paired by object id, contacts known only by email,
 * contacts with stale fields, missing contacts, leavers (one kept active by the custom field) and, for tenants
 * matched by name, an inactive company with the same name. Same options → same data.
 */
export function generateSyncDataset(options: {
  tenants?: number;
  usersPerTenant?: number;
  seed?: number;
}): SyncDataset {
  const { tenants: tenantCount = 50, usersPerTenant = 200, seed = 1 } = options;
  const rng = mulberry32(seed);
  const tenants: TenantSnapshot[] = [];
  const halo: HaloSnapshot = { clients: [], sites: [], users: [] };
  const expectedMatch: SyncDataset['expectedMatch'] = {};
  let nextUserId = 1;

  for (let i = 0; i < tenantCount; i++) {
    const rule = RULES[i % RULES.length]!;
    const tag = String(i).padStart(3, '0');
    const domain = `t${tag}.example`;
    const alt = `t${tag}-mail.example`;
    const tenant: TenantSnapshot = {
      tenantId: guid(rng),
      displayName: `Tenant ${tag} Ltd`,
      defaultDomain: domain,
      verifiedDomains: [domain, alt, `t${tag}.onmicrosoft.com`],
      users: [],
    };
    for (let j = 0; j < usersPerTenant; j++) tenant.users.push(graphUser(rng, j, tenant, alt));
    tenants.push(tenant);
    expectedMatch[tenant.tenantId] = rule;
    if (rule === 'unmatched') continue;

    const clientId = 100 + i;
    const mainSite: HaloSite = { id: 1000 + 2 * i, client_id: clientId, name: 'Main', line1: '1 Main Street' };
    const branch: HaloSite = { id: 1001 + 2 * i, client_id: clientId, name: 'Branch', line1: `${i} ${BRANCH_STREET}` };
    halo.sites.push(mainSite, branch);
    halo.clients.push(companyFor(rule, clientId, tenant, alt, mainSite.id));
    if (rule === 'name') {
      halo.clients.push({ id: 10_000 + i, name: tenant.displayName, website: null, inactive: true, azure_tenants: [] });
    }

    const contact = (fields: Partial<HaloUser> & Pick<HaloUser, 'name' | 'emailaddress'>): void => {
      halo.users.push({
        id: nextUserId++,
        client_id: clientId,
        site_id: mainSite.id,
        firstname: '',
        surname: '',
        title: '',
        email2: '',
        email3: '',
        phonenumber: '',
        mobilenumber: '',
        fax: '',
        azureoid: '',
        inactive: false,
        customfields: [],
        ...fields,
      });
    };
    contact({ name: 'General User', emailaddress: '', isGeneralUser: true });
    for (const user of tenant.users) {
      const roll = rng();
      if (roll >= 0.8) continue; // missing: created if licensed and enabled
      const wanted = desiredContactFields(user);
      const base = {
        ...stringFields(wanted),
        name: wanted.name ?? user.userPrincipalName,
        emailaddress: wanted.emailaddress ?? '',
      };
      if (roll < 0.6) contact({ ...base, azureoid: user.id });
      else if (roll < 0.72) contact(base);
      else contact({ ...base, azureoid: user.id, mobilenumber: '+44 7000 000000', title: 'Old title' });
    }
    const leavers = Math.max(2, Math.round(usersPerTenant * 0.03));
    for (let k = 0; k < leavers; k++) {
      contact({
        name: `Former ${tag}-${k}`,
        emailaddress: `former${k}@${k % 2 === 0 ? domain : alt}`,
        azureoid: k % 2 === 0 ? guid(rng) : '',
        phonenumber: '+44 1000 000000',
        customfields: k === 0 ? [{ name: 'CFM365SyncKeepActive', value: 'Y' }] : [],
      });
    }
    contact({ name: `Supplier ${tag}`, emailaddress: `rep@supplier${tag}.example` });
  }
  return { seed, tenants, halo, expectedMatch };
}

/**
 * A copy of the dataset in which `fraction` of all tenant users changed their job title and mobile phone
 * (chosen and changed deterministically from the dataset's seed). The Halo side is shared, unchanged.
 */
export function mutateUsers(dataset: SyncDataset, fraction: number): SyncDataset {
  const rng = mulberry32(dataset.seed * 7919 + Math.round(fraction * 1_000_000));
  const tenants = dataset.tenants.map((t) => ({ ...t, users: t.users.map((u) => ({ ...u })) }));
  const all = tenants.flatMap((t) => t.users);
  const count = Math.min(all.length, Math.round(all.length * Math.max(0, fraction)));
  for (let k = 0; k < count; k++) {
    const pick = k + Math.floor(rng() * (all.length - k));
    [all[k], all[pick]] = [all[pick]!, all[k]!];
    const user = all[k]!;
    user.jobTitle = `${user.jobTitle ?? 'Staff'} (changed ${k})`;
    user.mobilePhone = `+44 7${String(Math.floor(rng() * 1e9)).padStart(9, '0')}`;
  }
  return { ...dataset, tenants };
}

function companyFor(rule: MatchRule, id: number, tenant: TenantSnapshot, alt: string, mainSiteId: number): HaloClient {
  const tag = tenant.displayName.split(' ')[1]!;
  const base: HaloClient = {
    id,
    name: `Company ${tag} Holdings`,
    website: `https://c${tag}.unrelated.example/`,
    inactive: false,
    main_site_id: mainSiteId,
    azure_tenants: [],
  };
  switch (rule) {
    case 'tenantId':
      return {
        ...base,
        azure_tenants: [{ id: id * 10, azure_tenant_id: tenant.tenantId, azure_tenant_name: tenant.displayName }],
      };
    case 'name':
      return { ...base, name: `  ${tenant.displayName.toUpperCase()} ` };
    case 'website':
      return { ...base, website: `https://www.${tenant.defaultDomain}/` };
    case 'domain':
      return { ...base, website: `http://${alt}:8080/contact` };
    case 'contactDomain':
      return { ...base, website: null };
  }
}

function graphUser(rng: () => number, j: number, tenant: TenantSnapshot, alt: string): GraphUser {
  const local = j === 0 ? 'admin' : `user${j}`;
  const upn = `${local}@${tenant.defaultDomain}`;
  const onMicrosoft = tenant.verifiedDomains[2]!;
  return {
    id: guid(rng),
    displayName: `First${j} Last${j}`,
    givenName: `First${j}`,
    surname: `Last${j}`,
    userPrincipalName: upn,
    mail: upn,
    jobTitle: rng() < 0.8 ? `Role ${j % 17}` : null,
    businessPhones: rng() < 0.7 ? [`+44 20 7946 ${String(j).padStart(4, '0')}`] : [],
    mobilePhone: rng() < 0.5 ? `+44 7700 9${String(j).padStart(5, '0')}` : null,
    faxNumber: null,
    streetAddress:
      rng() < 0.3 ? `${tenant.displayName.split(' ')[1]!.replace(/^0+(?=\d)/, '')} ${BRANCH_STREET}` : '1 Main Street',
    city: 'London',
    postalCode: 'EC1A 1AA',
    proxyAddresses: [`SMTP:${upn}`, `smtp:${local}@${alt}`, `smtp:${local}@${onMicrosoft}`],
    assignedLicenses: rng() < 0.94 ? [{ skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df' }] : [],
    accountEnabled: rng() < 0.97,
  };
}

function stringFields(fields: object): Partial<HaloUser> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string')) as Partial<HaloUser>;
}

function guid(rng: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rng() * 4)]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
