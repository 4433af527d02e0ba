import type { DeltaOptions, GraphRequester } from './client';
import type { DeltaResult } from './delta';
import { type ItemParser, itemParser, parseEach, parseGraph } from './parse';
import {
  type Contract,
  contractSchema,
  type DelegatedAdminCustomer,
  type Domain,
  delegatedAdminCustomerSchema,
  domainSchema,
  type GraphUser,
  type ManagedDevice,
  managedDeviceSchema,
  type Organization,
  organizationSchema,
  type SubscribedSku,
  subscribedSkuSchema,
  userSchema,
} from './schemas';

export const DEFAULT_USER_SELECT = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'accountEnabled',
  'userType',
  'jobTitle',
  'department',
  'mobilePhone',
  'businessPhones',
  'proxyAddresses',
  'assignedLicenses',
];

export interface TenantOperations {
  /** GDAP customers of the partner (home) tenant. */
  listDelegatedAdminCustomers(): Promise<DelegatedAdminCustomer[]>;
  /** CSP contracts of the partner (home) tenant. */
  listContracts(): Promise<Contract[]>;
  getOrganization(): Promise<Organization>;
  listDomains(): Promise<Domain[]>;
  listUsers(options?: { select?: readonly string[] }): Promise<GraphUser[]>;
  usersDelta(options?: { deltaLink?: string; select?: readonly string[] }): Promise<DeltaResult<GraphUser>>;
  listSubscribedSkus(): Promise<SubscribedSku[]>;
  listManagedDevices(options?: { select?: readonly string[] }): Promise<ManagedDevice[]>;
}

export function tenantOperations(graph: GraphRequester): TenantOperations {
  const t = graph.tenantId;
  const ctx = (operation: string, permission: string) => ({ context: { operation, permission } });
  return {
    async listDelegatedAdminCustomers() {
      const values = await graph.getAll('/tenantRelationships/delegatedAdminCustomers', {
        top: 300,
        ...ctx('listDelegatedAdminCustomers', 'DelegatedAdminRelationship.Read.All'),
      });
      return parseEach(delegatedAdminCustomerSchema, values, 'delegatedAdminCustomers', t);
    },
    async listContracts() {
      const values = await graph.getAll('/contracts', ctx('listContracts', 'Directory.Read.All'));
      return parseEach(contractSchema, values, 'contracts', t);
    },
    async getOrganization() {
      const values = await graph.getAll('/organization', ctx('getOrganization', 'Organization.Read.All'));
      return parseGraph(organizationSchema, values[0], 'organization', t);
    },
    async listDomains() {
      const values = await graph.getAll('/domains', ctx('listDomains', 'Domain.Read.All'));
      return parseEach(domainSchema, values, 'domains', t);
    },
    async listUsers(options = {}) {
      const values = await graph.getAll('/users', {
        select: options.select ?? DEFAULT_USER_SELECT,
        top: 999,
        ...ctx('listUsers', 'User.Read.All'),
      });
      return parseEach(userSchema, values, 'users', t);
    },
    usersDelta(options = {}) {
      const deltaOptions: DeltaOptions & { parse: ItemParser<GraphUser> } = {
        select: options.select ?? DEFAULT_USER_SELECT,
        parse: itemParser(userSchema),
        ...ctx('usersDelta', 'User.Read.All'),
      };
      return graph.delta(options.deltaLink ?? '/users/delta', deltaOptions);
    },
    async listSubscribedSkus() {
      const values = await graph.getAll('/subscribedSkus', ctx('listSubscribedSkus', 'Organization.Read.All'));
      return parseEach(subscribedSkuSchema, values, 'subscribedSkus', t);
    },
    async listManagedDevices(options = {}) {
      const values = await graph.getAll('/deviceManagement/managedDevices', {
        ...(options.select ? { select: options.select } : {}),
        ...ctx('listManagedDevices', 'DeviceManagementManagedDevices.Read.All'),
      });
      return parseEach(managedDeviceSchema, values, 'managedDevices', t);
    },
  };
}
