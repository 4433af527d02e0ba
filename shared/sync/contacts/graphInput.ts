import { z } from 'zod';
import { parseWith } from '../common/parseInput';
import type { GdapCustomer, PartnerContract } from './customerTenants';
import type { GraphUser, TenantSnapshot } from './types';

/** The `$select` for `GET /users?$select=…&$top=999`: exactly what the planner reads. */
export const GRAPH_USER_SELECT: readonly string[] = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'businessPhones',
  'mobilePhone',
  'faxNumber',
  'streetAddress',
  'city',
  'postalCode',
  'proxyAddresses',
  'assignedLicenses',
  'accountEnabled',
];

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const list = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

export const graphUserSchema = z.object({
  id: z.string().min(1),
  displayName: text,
  givenName: text,
  surname: text,
  userPrincipalName: z.string().min(1),
  mail: text,
  jobTitle: text,
  businessPhones: list,
  mobilePhone: text,
  faxNumber: text,
  streetAddress: text,
  city: text,
  postalCode: text,
  proxyAddresses: list,
  assignedLicenses: z
    .array(z.object({ skuId: z.string().nullish() }))
    .nullish()
    .transform((v) => (v ?? []).map((l) => ({ skuId: l.skuId ?? '' }))),
  // Graph leaves accountEnabled out when it was not selected; an account is enabled unless it says otherwise.
  accountEnabled: z
    .boolean()
    .nullish()
    .transform((v) => v !== false),
}) satisfies z.ZodType<GraphUser, unknown>;

export const graphDomainSchema = z.object({
  id: z.string().min(1),
  isDefault: z.boolean().nullish(),
  isVerified: z.boolean().nullish(),
});

export const gdapCustomerSchema = z.object({ tenantId: z.string().min(1), displayName: z.string() });
export const contractSchema = z.object({
  customerId: z.string().min(1),
  displayName: z.string(),
  defaultDomainName: z.string().nullish(),
});

export function parseGdapCustomers(raw: unknown): GdapCustomer[] {
  return parseWith(z.array(gdapCustomerSchema), raw, 'delegatedAdminCustomers');
}

export function parseContracts(raw: unknown): PartnerContract[] {
  return parseWith(z.array(contractSchema), raw, 'contracts');
}

/**
 * A tenant snapshot from raw Graph rows: `GET /domains` (default and verified domains) and
 * `GET /users?$select=GRAPH_USER_SELECT`. Every row is validated; errors name the row's path.
 */
export function tenantSnapshotFromGraph(input: {
  tenantId: string;
  displayName: string;
  domains: unknown;
  users: unknown;
}): TenantSnapshot {
  const domains = parseWith(z.array(graphDomainSchema), input.domains, `tenant ${input.tenantId} domains`);
  const users = parseWith(z.array(graphUserSchema), input.users, `tenant ${input.tenantId} users`);
  const verified = domains.filter((d) => d.isVerified !== false).map((d) => d.id.toLowerCase());
  const defaultDomain = (domains.find((d) => d.isDefault) ?? domains[0])?.id.toLowerCase() ?? '';
  return { tenantId: input.tenantId, displayName: input.displayName, defaultDomain, verifiedDomains: verified, users };
}
