import type { TenantSyncConfig } from '../../config/integration/tenants';
import { CHANGE_KINDS, type Change, type ChangeKind, type LinkTenantChange, type TenantPlan } from './changes';
import { type CompanyMatch, isMatched, type MatchRule, matchCompany } from './matchCompany';
import { planContacts } from './planContacts';
import type { HaloClient, HaloSnapshot, TenantSnapshot } from './types';

export interface PlanOptions {
  /** Plan contact changes too (default). Off for the "match only" mode: the plan then holds only tenant links. */
  contacts?: boolean;
}

/**
 * Everything one tenant sync would change in Halo, each change with its reason. Pure: the same snapshots and
 * config always give the same plan, and a plan applied to the snapshot leaves nothing to do next time.
 */
export function planTenant(
  tenant: TenantSnapshot,
  halo: HaloSnapshot,
  config: TenantSyncConfig,
  options: PlanOptions = {},
): TenantPlan {
  const match = matchCompany(tenant, halo);
  const plan: TenantPlan = {
    tenantId: tenant.tenantId,
    tenantName: tenant.displayName,
    match,
    changes: [],
    skippedUsers: [...(tenant.skippedUsers ?? [])],
  };
  if (!isMatched(match)) return plan;
  const client = halo.clients.find((c) => c.id === match.clientId)!;
  if (match.by !== 'tenantId' && config.linkTenantOnMatch) plan.changes.push(linkTenant(tenant, client, match));
  if (options.contacts === false) return plan;
  const contacts = planContacts({
    tenant,
    client,
    contacts: halo.users.filter((u) => u.client_id === client.id),
    sites: halo.sites.filter((s) => s.client_id === client.id),
    config,
  });
  plan.changes.push(...contacts.changes);
  plan.skippedUsers.push(...contacts.skippedUsers);
  return plan;
}

function linkTenant(tenant: TenantSnapshot, client: HaloClient, match: CompanyMatch): LinkTenantChange {
  // Posting azure_tenants may replace the whole list, so the existing links are sent again.
  const existing = client.azure_tenants.map((t) => ({ ...t }));
  return {
    kind: 'linkTenant',
    resource: '/Client',
    clientId: client.id,
    clientName: client.name,
    body: {
      id: client.id,
      azure_tenants: [
        ...existing,
        { azure_tenant_id: tenant.tenantId, azure_tenant_name: tenant.displayName, details_name: 'Default' },
      ],
    },
    reason: `matched by ${match.by} (${match.detail}); linking tenant ${tenant.tenantId} so later runs match by id`,
  };
}

export interface PlanSummary {
  tenants: number;
  matched: number;
  unmatched: number;
  matchedBy: Record<MatchRule, number>;
  changes: Record<ChangeKind, number>;
  totalChanges: number;
  skippedUsers: number;
}

/** Counts over one or more tenant plans. */
export function summarisePlan(plans: TenantPlan | readonly TenantPlan[]): PlanSummary {
  const list = Array.isArray(plans) ? (plans as readonly TenantPlan[]) : [plans as TenantPlan];
  const summary: PlanSummary = {
    tenants: list.length,
    matched: 0,
    unmatched: 0,
    matchedBy: { tenantId: 0, name: 0, website: 0, domain: 0, contactDomain: 0 },
    changes: Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>,
    totalChanges: 0,
    skippedUsers: 0,
  };
  for (const plan of list) {
    if (isMatched(plan.match)) {
      summary.matched++;
      summary.matchedBy[plan.match.by]++;
    } else summary.unmatched++;
    for (const change of plan.changes) countChange(summary, change);
    summary.skippedUsers += plan.skippedUsers.length;
  }
  return summary;
}

function countChange(summary: PlanSummary, change: Change): void {
  summary.changes[change.kind]++;
  summary.totalChanges++;
}
