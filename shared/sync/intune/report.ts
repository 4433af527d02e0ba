import { redact } from '../../runtime/redact';
import { toCsv } from '../common/csv';
import type { SourceOutcome, SyncReportFiles } from '../engine/definition';
import { companyFound, INTUNE_CHANGE_KINDS, type IntuneChangeKind, type IntunePlan } from './changes';

export interface IntuneSummary {
  tenants: number;
  matched: number;
  unmatched: number;
  devices: number;
  excludedDefender: number;
  skipped: number;
  deletionsBlocked: number;
  changes: Record<IntuneChangeKind, number>;
}

/** Counts over a run's plans. */
export function summariseIntune(plans: readonly IntunePlan[]): IntuneSummary {
  const summary: IntuneSummary = {
    tenants: plans.length,
    matched: 0,
    unmatched: 0,
    devices: 0,
    excludedDefender: 0,
    skipped: 0,
    deletionsBlocked: 0,
    changes: Object.fromEntries(INTUNE_CHANGE_KINDS.map((k) => [k, 0])) as Record<IntuneChangeKind, number>,
  };
  for (const plan of plans) {
    if (companyFound(plan.company)) summary.matched++;
    else summary.unmatched++;
    summary.devices += plan.devices.listed;
    summary.excludedDefender += plan.devices.excludedDefender;
    summary.skipped += plan.devices.skipped;
    if (plan.deletion.mode === 'blocked') summary.deletionsBlocked++;
    for (const change of plan.changes) summary.changes[change.kind]++;
  }
  return summary;
}

/** The run report: plans with a reason per change, outcomes, counts; CSV views for people. */
export function buildIntuneReport(
  runId: string,
  plans: readonly IntunePlan[],
  options: { mode: string; startedAt: string; finishedAt: string; outcomes: readonly SourceOutcome[] },
): SyncReportFiles {
  const outcomes = new Map(options.outcomes.map((o) => [o.tenantId.toLowerCase(), o]));
  const outcomeOf = (plan: IntunePlan) => {
    const outcome = outcomes.get(plan.tenantId.toLowerCase());
    return outcome?.error === undefined ? outcome : { ...outcome, error: redact(outcome.error) };
  };
  const company = (plan: IntunePlan) => (companyFound(plan.company) ? plan.company.clientName : '');
  return {
    json: {
      runId,
      mode: options.mode,
      startedAt: options.startedAt,
      finishedAt: options.finishedAt,
      summary: summariseIntune(plans),
      tenants: plans.map((plan) => ({ ...plan, outcome: outcomeOf(plan) })),
    },
    csv: {
      tenants: toCsv(
        [
          'Tenant',
          'Tenant id',
          'Halo company',
          'Matched by',
          'Devices',
          'Changes',
          'Skipped',
          'Deletion',
          'Why',
          'Outcome',
        ],
        plans.map((p) => [
          p.tenantName,
          p.tenantId,
          company(p),
          companyFound(p.company) ? p.company.by : p.company.unmatched,
          p.devices.listed,
          p.changes.length,
          p.devices.skipped,
          p.deletion.mode,
          p.deletion.reason,
          outcomeOf(p)?.status,
        ]),
      ),
      changes: toCsv(
        ['Tenant', 'Company', 'Change', 'Device', 'Intune id', 'Serial number', 'Asset id', 'Reason', 'Details'],
        plans.flatMap((p) =>
          p.changes.map((c) => {
            const device = 'device' in c ? c.device : undefined;
            const assetId = 'assetId' in c ? c.assetId : undefined;
            const name = device?.name ?? ('name' in c ? c.name : '');
            return [
              p.tenantName,
              company(p),
              c.kind,
              name,
              device?.id ?? ('body' in c && 'intune_id' in c.body ? c.body.intune_id : ''),
              device?.serialNumber,
              assetId,
              c.reason,
              'details' in c ? c.details.join('; ') : '',
            ];
          }),
        ),
      ),
      skipped: toCsv(
        ['Tenant', 'Device', 'Intune id', 'Serial number', 'Category', 'Reason'],
        plans.flatMap((p) =>
          p.skipped.map((s) => [p.tenantName, s.device.name, s.device.id, s.device.serialNumber, s.category, s.reason]),
        ),
      ),
    },
  };
}
