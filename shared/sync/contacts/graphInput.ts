import { z } from 'zod';
import { tenantId } from '../../config/integration/common';
// Graph sends booleans as strings at times (its own samples do): read both.
import { itemParser, parseItems, type SkippedItem } from '../../graph/parse';
import { flag } from '../../graph/schemas';
import { parseWith } from '../common/parseInput';
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
  'userType',
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
  accountEnabled: flag.transform((v) => v !== false),
  /** `Member` or `Guest` (B2B); null when Graph did not say. */
  userType: text,
}) satisfies z.ZodType<GraphUser, unknown>;

export const graphDomainSchema = z.object({
  id: z.string().min(1),
  isDefault: flag,
  isVerified: flag,
});

export const gdapCustomerSchema = z.object({ tenantId: tenantId, displayName: z.string() });
export const contractSchema = z.object({
  customerId: tenantId,
  displayName: z.string(),
  defaultDomainName: z.string().nullish(),
});

/** A row of Graph input that was left out, and why (for the run report). */
export type SkippedRow = SkippedItem;

/** Rows read one by one: a bad one is left out with its reason (the path of each wrong field), never failing the rest. */
export function parseRows<S extends z.ZodType>(schema: S, raw: unknown, source: string) {
  return parseItems(parseWith(z.array(z.unknown()), raw, source), itemParser(schema));
}

export function parseGdapCustomers(raw: unknown) {
  return parseRows(gdapCustomerSchema, raw, 'delegatedAdminCustomers');
}

export function parseContracts(raw: unknown) {
  return parseRows(contractSchema, raw, 'contracts');
}

/**
 * A tenant snapshot from raw Graph rows: `GET /domains` and `GET /users?$select=GRAPH_USER_SELECT`. Rows are read
 * one by one: a user row that cannot be read is left out and listed in `skippedUsers` (with the rows the Graph
 * adapter already left out, `skippedRows`), so it shows in the run report instead of failing the tenant. Only
 * verified domains count for matching (a domain without `isVerified: true` does not: anyone can add one).
 */
export function tenantSnapshotFromGraph(input: {
  tenantId: string;
  displayName: string;
  domains: unknown;
  users: unknown;
  skippedRows?: readonly SkippedRow[];
}): TenantSnapshot {
  const domains = parseRows(graphDomainSchema, input.domains, `tenant ${input.tenantId} domains`).items;
  const users = parseRows(graphUserSchema, input.users, `tenant ${input.tenantId} users`);
  const verified = domains.filter((d) => d.isVerified === true);
  const defaultDomain = (verified.find((d) => d.isDefault) ?? verified[0])?.id.toLowerCase() ?? '';
  return {
    tenantId: input.tenantId,
    displayName: input.displayName,
    defaultDomain,
    verifiedDomains: verified.map((d) => d.id.toLowerCase()),
    users: users.items,
    skippedUsers: [...(input.skippedRows ?? []), ...users.skipped].map(unreadableUser),
  };
}

function unreadableUser(row: SkippedRow): { userPrincipalName: string; reason: string } {
  return {
    userPrincipalName: row.id ? `(user ${row.id})` : `(user row ${row.index})`,
    reason: `unreadable, left out: ${row.reason}`,
  };
}
