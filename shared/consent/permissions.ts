// Which Microsoft Graph application permissions the configured features need, in which tenant, and how each is
// proven: one read that only that permission allows. Mail permissions are deliberately absent: mailbox access is
// granted per mailbox with Exchange RBAC for Applications (scripts/exchange/Grant-ScopedMailboxAccess.ps1), because an
// Entra grant of Mail.* would open every mailbox of the tenant.
import type { IntegrationConfig } from '../config/integration';

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface PermissionNeed {
  readonly permission: string;
  readonly why: string;
  /** A Graph read (relative to /v1.0) that succeeds only with this permission. */
  readonly probe: string;
}

const NEEDS = {
  gdap: {
    permission: 'DelegatedAdminRelationship.Read.All',
    why: 'list GDAP customers (tenant sync discovery)',
    probe: '/tenantRelationships/delegatedAdminCustomers?$top=1',
  },
  contracts: {
    permission: 'Directory.Read.All',
    why: 'list contracts (tenant sync discovery without GDAP)',
    probe: '/contracts?$top=1',
  },
  users: { permission: 'User.Read.All', why: 'users and licences (tenant sync)', probe: '/users?$top=1&$select=id' },
  domains: { permission: 'Domain.Read.All', why: 'verified domains (company matching)', probe: '/domains' },
  organization: {
    permission: 'Organization.Read.All',
    why: 'tenant name and subscribed SKUs (company matching, licences)',
    probe: '/organization?$select=id,displayName',
  },
  devices: {
    permission: 'DeviceManagementManagedDevices.Read.All',
    why: 'managed devices and their detected apps (Intune sync)',
    probe: '/deviceManagement/managedDevices?$top=1&$select=id',
  },
} as const satisfies Record<string, PermissionNeed>;

/** Entra grants that must NOT exist: they are tenant-wide and defeat the Exchange RBAC mailbox scope. */
export const TENANT_WIDE_MAIL_PERMISSIONS = ['Mail.ReadWrite', 'Mail.Send', 'Mail.Read', 'Mail.ReadBasic.All'];

/** What the partner (home) tenant needs: discovery of the customer tenants. */
export function partnerTenantNeeds(config: IntegrationConfig): PermissionNeed[] {
  if (!config.tenantSync.enabled) return [];
  if (config.tenantSync.discovery === 'gdap') return [NEEDS.gdap, NEEDS.contracts];
  if (config.tenantSync.discovery === 'contracts') return [NEEDS.contracts];
  return [];
}

/** What each customer tenant needs (tenant sync reads its users, domains and organization; Intune its devices). */
export function customerTenantNeeds(config: IntegrationConfig): PermissionNeed[] {
  if (!config.tenantSync.enabled) return [];
  const intune = config.intuneSync.enabled && config.intuneSync.sources.kind === 'customerTenants';
  return [NEEDS.users, NEEDS.domains, NEEDS.organization, ...(intune ? [NEEDS.devices] : [])];
}
