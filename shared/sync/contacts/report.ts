import { redact } from '../../runtime/redact';
import { toCsv } from '../common/csv';
import type { SourceOutcome } from '../engine/definition';
import type { Change, TenantPlan } from './changes';
import { isMatched } from './matchCompany';
import { type PlanSummary, summarisePlan } from './plan';

export type SyncMode = 'match' | 'plan' | 'apply';

/** What happened to each tenant in the run (the plan says what should; this says whether it did). */
export type TenantOutcome = SourceOutcome;

export interface SyncReport {
  runId: string;
  mode: SyncMode;
  startedAt: string;
  finishedAt: string;
  summary: PlanSummary;
  tenants: (TenantPlan & { outcome?: TenantOutcome })[];
}

export interface SyncReportFiles {
  json: SyncReport;
  csv: {
    companies: string;
    creates: string;
    pairings: string;
    updates: string;
    deactivations: string;
    unmatched: string;
    inactiveContacts: string;
  };
}

/** The run report: the JSON document (plans with reasons, outcomes, counts) and CSV views of it. */
export function buildReport(
  runId: string,
  plans: readonly TenantPlan[],
  options: { mode: SyncMode; startedAt: string; finishedAt: string; tenantOutcomes?: readonly TenantOutcome[] },
): SyncReportFiles {
  const outcomes = new Map((options.tenantOutcomes ?? []).map((o) => [o.tenantId.toLowerCase(), o]));
  const tenants = plans.map((plan) => {
    const outcome = outcomes.get(plan.tenantId.toLowerCase());
    if (!outcome) return plan;
    return { ...plan, outcome: outcome.error === undefined ? outcome : { ...outcome, error: redact(outcome.error) } };
  });
  const json: SyncReport = {
    runId,
    mode: options.mode,
    startedAt: options.startedAt,
    finishedAt: options.finishedAt,
    summary: summarisePlan(plans),
    tenants,
  };
  const matched = plans.filter((p) => isMatched(p.match));
  const rowsOf = (kinds: Change['kind'][], row: (p: TenantPlan, c: Change) => (string | number | undefined)[]) =>
    plans.flatMap((p) => p.changes.filter((c) => kinds.includes(c.kind)).map((c) => row(p, c)));
  const contactRow = (p: TenantPlan, c: Change) =>
    'contact' in c ? [p.tenantName, c.contact.id, c.contact.name, c.contact.email, c.reason] : [];

  return {
    json,
    csv: {
      companies: toCsv(
        ['Tenant', 'Tenant id', 'Halo company', 'Company id', 'Matched by', 'Detail', 'Outcome'],
        matched.map((p) => {
          const m = p.match as Extract<TenantPlan['match'], { clientId: number }>;
          const outcome = outcomes.get(p.tenantId.toLowerCase());
          return [p.tenantName, p.tenantId, m.clientName, m.clientId, m.by, m.detail, outcome?.status];
        }),
      ),
      creates: toCsv(
        ['Tenant', 'Name', 'Email', 'Site id', 'Reason'],
        rowsOf(['createContact'], (p, c) => [p.tenantName, nameOf(c), emailOf(c), siteOf(c), c.reason]),
      ),
      pairings: toCsv(
        ['Tenant', 'Contact id', 'Name', 'Email', 'Reason'],
        rowsOf(['pairContact', 'reactivateContact'], contactRow),
      ),
      updates: toCsv(
        ['Tenant', 'Contact id', 'Name', 'Email', 'Reason', 'Fields'],
        rowsOf(['updateContact'], (p, c) => [
          ...contactRow(p, c),
          c.kind === 'updateContact' ? c.fields.map((f) => `${f.field}: ${f.from} -> ${f.to}`).join('; ') : '',
        ]),
      ),
      deactivations: toCsv(
        ['Tenant', 'Contact id', 'Name', 'Email', 'Reason'],
        rowsOf(['deactivateContact'], contactRow),
      ),
      unmatched: toCsv(
        ['Tenant', 'Tenant id', 'Reason', 'Instruction'],
        plans.flatMap((p) =>
          isMatched(p.match) ? [] : [[p.tenantName, p.tenantId, p.match.unmatched, p.match.instruction]],
        ),
      ),
      // The community script's "inactive report": who would be (or was) set inactive, with their phones.
      inactiveContacts: toCsv(
        ['Company', 'Name', 'Email', 'Mobile', 'Phone'],
        plans.flatMap((p) =>
          p.changes
            .filter((c) => c.kind === 'deactivateContact')
            .map((c) => [companyOf(p), c.contact.name, c.contact.email, c.contact.mobilenumber, c.contact.phonenumber]),
        ),
      ),
    },
  };
}

function nameOf(change: Change): string | undefined {
  return 'contact' in change ? change.contact.name : undefined;
}

function emailOf(change: Change): string | undefined {
  return 'contact' in change ? change.contact.email : undefined;
}

function siteOf(change: Change): number | undefined {
  return change.kind === 'createContact' ? change.body.site_id : undefined;
}

function companyOf(plan: TenantPlan): string {
  return isMatched(plan.match) ? plan.match.clientName : plan.tenantName;
}
