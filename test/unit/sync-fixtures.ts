import { type TenantSyncConfig, tenantSyncConfigSchema } from '../../shared/config/integration/tenants';
import type { GraphUser, HaloClient, HaloSnapshot, HaloUser, TenantSnapshot } from '../../shared/sync/contacts/types';

/** Small builders for the sync unit tests. */

export const TENANT_ID = '22222222-2222-4222-8222-222222222222';

export function config(overrides: Record<string, unknown> = {}): TenantSyncConfig {
  return tenantSyncConfigSchema.parse(overrides);
}

export function graphUser(local: string, overrides: Partial<GraphUser> = {}): GraphUser {
  const upn = `${local}@fabrikam.com`;
  return {
    id: `oid-${local}`,
    displayName: `${local} Person`,
    givenName: local,
    surname: 'Person',
    userPrincipalName: upn,
    mail: upn,
    jobTitle: 'Engineer',
    businessPhones: ['+1 555 0100'],
    mobilePhone: '+1 555 0199',
    streetAddress: '1 Main Street',
    city: 'Seattle',
    postalCode: '98052',
    proxyAddresses: [`SMTP:${upn}`, `smtp:${local}@fabrikam.net`, `smtp:${local}@fabrikam.onmicrosoft.com`],
    assignedLicenses: [{ skuId: 'sku-e3' }],
    accountEnabled: true,
    ...overrides,
  };
}

export function tenant(users: GraphUser[] = [], overrides: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return {
    tenantId: TENANT_ID,
    displayName: 'Fabrikam Inc',
    defaultDomain: 'fabrikam.com',
    verifiedDomains: ['fabrikam.com', 'fabrikam.net', 'fabrikam.onmicrosoft.com'],
    users,
    ...overrides,
  };
}

export function client(id: number, overrides: Partial<HaloClient> = {}): HaloClient {
  return { id, name: `Company ${id}`, website: null, inactive: false, azure_tenants: [], ...overrides };
}

let nextContactId = 500;

export function contact(overrides: Partial<HaloUser> = {}): HaloUser {
  return {
    id: nextContactId++,
    client_id: 11,
    site_id: 110,
    name: 'Someone',
    emailaddress: '',
    azureoid: '',
    inactive: false,
    customfields: [],
    ...overrides,
  };
}

/** A contact that already says exactly what the tenant user says (paired, nothing to update). */
export function contactInStep(user: GraphUser, overrides: Partial<HaloUser> = {}): HaloUser {
  return contact({
    name: user.displayName ?? '',
    firstname: user.givenName ?? '',
    surname: user.surname ?? '',
    title: user.jobTitle ?? '',
    emailaddress: user.userPrincipalName,
    email2: `${user.userPrincipalName.split('@')[0]}@fabrikam.net`,
    email3: '',
    phonenumber: user.businessPhones[0] ?? '',
    mobilenumber: user.mobilePhone ?? '',
    fax: '',
    azureoid: user.id,
    ...overrides,
  });
}

/** Halo with company 11 "Fabrikam, Inc." (main site 110, branch 111) and the given contacts. */
export function halo(users: HaloUser[] = [], clients: HaloClient[] = []): HaloSnapshot {
  return {
    clients: [
      client(11, { name: 'Fabrikam, Inc.', website: 'https://www.fabrikam.com/', main_site_id: 110 }),
      ...clients,
    ],
    sites: [
      { id: 110, client_id: 11, name: 'HQ', line1: '1 Main Street' },
      { id: 111, client_id: 11, name: 'Branch', line1: '9 Harbour Way' },
    ],
    users,
  };
}
