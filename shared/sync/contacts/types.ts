/**
 * The plain data the tenant-sync planner works on. Snapshots are what we read (Graph per tenant, Halo in bulk);
 * a field that is `undefined` was not read (e.g. a SQL report without that column) and is never compared.
 */

export interface GraphUser {
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  businessPhones: string[];
  mobilePhone: string | null;
  faxNumber?: string | null;
  streetAddress: string | null;
  city: string | null;
  postalCode: string | null;
  proxyAddresses: string[];
  assignedLicenses: { skuId: string }[];
  accountEnabled: boolean;
  /** `Member` or `Guest` (B2B); null or absent when Graph did not say. */
  userType?: string | null;
}

export interface TenantSnapshot {
  tenantId: string;
  displayName: string;
  defaultDomain: string;
  verifiedDomains: string[];
  users: GraphUser[];
  /** User rows that could not be read, left out of the plan and listed in its report. */
  skippedUsers?: { userPrincipalName: string; reason: string }[];
}

export interface HaloAzureTenantLink {
  id?: number;
  azure_tenant_id: string;
  azure_tenant_name?: string;
  details_id?: number;
  details_name?: string;
}

export interface HaloClient {
  id: number;
  name: string;
  website: string | null;
  inactive: boolean;
  main_site_id?: number;
  azure_tenants: HaloAzureTenantLink[];
}

export interface HaloSite {
  id: number;
  client_id: number;
  name?: string;
  line1?: string;
}

export interface HaloCustomField {
  name: string;
  value: string;
  display?: string;
}

export interface HaloUser {
  id: number;
  client_id: number;
  site_id?: number;
  name: string;
  firstname?: string;
  surname?: string;
  title?: string;
  emailaddress: string;
  email2?: string;
  email3?: string;
  phonenumber?: string;
  mobilenumber?: string;
  fax?: string;
  azureoid: string;
  inactive: boolean;
  isGeneralUser?: boolean;
  customfields: HaloCustomField[];
}

export interface HaloSnapshot {
  clients: HaloClient[];
  sites: HaloSite[];
  users: HaloUser[];
}

/** The fields a sync may write on a Halo contact (`POST /Users`). Integers only for ids. */
export interface HaloUserWrite {
  id?: number;
  client_id?: number;
  site_id?: number;
  name?: string;
  firstname?: string;
  surname?: string;
  title?: string;
  emailaddress?: string;
  email2?: string;
  email3?: string;
  phonenumber?: string;
  mobilenumber?: string;
  fax?: string;
  azureoid?: string;
  inactive?: boolean;
}

/** A company update (`POST /Client`): linking a tenant re-sends the existing links, as the list may be replaced. */
export interface HaloClientWrite {
  id: number;
  azure_tenants: HaloAzureTenantLink[];
}
