import type { z } from 'zod';
import { type Logger, silentLogger } from '../runtime/logger';
import type { DeltaOptions, GraphRequester } from './client';
import type { DeltaResult } from './delta';
import { type ItemParser, itemParser, parseGraph, parseItems, type SkippedItem } from './parse';
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

/** Options of every list: a row that cannot be read is skipped (and logged); `onSkipped` also hears of it. */
export interface ListOptions {
  readonly onSkipped?: (item: SkippedItem) => void;
}

export interface TenantOperations {
  /** GDAP customers of the partner (home) tenant. */
  listDelegatedAdminCustomers(options?: ListOptions): Promise<DelegatedAdminCustomer[]>;
  /** CSP contracts of the partner (home) tenant. */
  listContracts(options?: ListOptions): Promise<Contract[]>;
  getOrganization(): Promise<Organization>;
  listDomains(options?: ListOptions): Promise<Domain[]>;
  listUsers(options?: ListOptions & { select?: readonly string[] }): Promise<GraphUser[]>;
  usersDelta(options?: { deltaLink?: string; select?: readonly string[] }): Promise<DeltaResult<GraphUser>>;
  listSubscribedSkus(options?: ListOptions): Promise<SubscribedSku[]>;
  listManagedDevices(options?: ListOptions & { select?: readonly string[] }): Promise<ManagedDevice[]>;
}

/**
 * The directory reads. Every list is read row by row: a malformed row (no id, a field of an odd type) is skipped
 * with its index, id and reason, logged, and handed to `onSkipped`; it never costs the rest of the tenant.
 */
export function tenantOperations(graph: GraphRequester, log: Logger = silentLogger): TenantOperations {
  const t = graph.tenantId;
  const ctx = (operation: string, permission: string) => ({ context: { operation, permission } });
  const rows = <S extends z.ZodType>(schema: S, values: unknown[], what: string, options: ListOptions = {}) => {
    const { items, skipped } = parseItems(values, itemParser(schema));
    for (const item of skipped) {
      log.warn('graph row skipped', { tenantId: t, list: what, ...item });
      options.onSkipped?.(item);
    }
    return items;
  };
  return {
    async listDelegatedAdminCustomers(options) {
      const values = await graph.getAll('/tenantRelationships/delegatedAdminCustomers', {
        top: 300,
        ...ctx('listDelegatedAdminCustomers', 'DelegatedAdminRelationship.Read.All'),
      });
      return rows(delegatedAdminCustomerSchema, values, 'delegatedAdminCustomers', options);
    },
    async listContracts(options) {
      const values = await graph.getAll('/contracts', ctx('listContracts', 'Directory.Read.All'));
      return rows(contractSchema, values, 'contracts', options);
    },
    async getOrganization() {
      const values = await graph.getAll('/organization', ctx('getOrganization', 'Organization.Read.All'));
      return parseGraph(organizationSchema, values[0], 'organization', t);
    },
    async listDomains(options) {
      const values = await graph.getAll('/domains', ctx('listDomains', 'Domain.Read.All'));
      return rows(domainSchema, values, 'domains', options);
    },
    async listUsers(options = {}) {
      const values = await graph.getAll('/users', {
        select: options.select ?? DEFAULT_USER_SELECT,
        top: 999,
        ...ctx('listUsers', 'User.Read.All'),
      });
      return rows(userSchema, values, 'users', options);
    },
    usersDelta(options = {}) {
      const deltaOptions: DeltaOptions & { parse: ItemParser<GraphUser> } = {
        select: options.select ?? DEFAULT_USER_SELECT,
        parse: itemParser(userSchema),
        ...ctx('usersDelta', 'User.Read.All'),
      };
      return graph.delta(options.deltaLink ?? '/users/delta', deltaOptions);
    },
    async listSubscribedSkus(options) {
      const values = await graph.getAll('/subscribedSkus', ctx('listSubscribedSkus', 'Organization.Read.All'));
      return rows(subscribedSkuSchema, values, 'subscribedSkus', options);
    },
    async listManagedDevices(options = {}) {
      const values = await graph.getAll('/deviceManagement/managedDevices', {
        ...(options.select ? { select: options.select } : {}),
        ...ctx('listManagedDevices', 'DeviceManagementManagedDevices.Read.All'),
      });
      return rows(managedDeviceSchema, values, 'managedDevices', options);
    },
  };
}
