import { redact } from '../../runtime/redact';
import { toCsv } from '../common/csv';
import type { SourceOutcome, SyncReportFiles } from '../engine/definition';
import { ENTRA_CHANGE_KINDS, type EntraChange, type EntraPlan } from './changes';

/** Counts per change kind over plans, plus users processed and problems. */
export function entraRunCounts(plans: readonly EntraPlan[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of ENTRA_CHANGE_KINDS) counts[kind] = 0;
  counts.usersProcessed = 0;
  counts.problems = 0;
  for (const plan of plans) {
    for (const change of plan.changes) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
    counts.usersProcessed += plan.log.length;
    counts.problems += plan.problems.length;
  }
  return counts;
}

/**
 * The run's report: report.json (each connection's plan: how it read, every change with its reason, the inbound
 * log, problems, and whether it was applied) and CSV views: `changes` (one row per change, with its reason),
 * `inbound-log` (one row per user or agent processed), `problems`.
 */
export function buildEntraReport(
  runId: string,
  plans: readonly EntraPlan[],
  options: { mode: string; startedAt: string; finishedAt: string; outcomes: readonly SourceOutcome[] },
): SyncReportFiles {
  const outcomes = new Map(options.outcomes.map((o) => [o.tenantId.toLowerCase(), o]));
  const connections = plans.map((plan) => {
    const outcome = outcomes.get(plan.tenantId.toLowerCase());
    const { commit: _commit, ...rest } = plan;
    return { ...rest, outcome: outcome?.error === undefined ? outcome : { ...outcome, error: redact(outcome.error) } };
  });
  const json = {
    runId,
    mode: options.mode,
    startedAt: options.startedAt,
    finishedAt: options.finishedAt,
    counts: entraRunCounts(plans),
    connections,
  };
  const statusOf = (plan: EntraPlan) => outcomes.get(plan.tenantId.toLowerCase())?.status ?? '';
  return {
    json,
    csv: {
      changes: toCsv(
        ['Connection', 'Tenant', 'Kind', 'Entra user', 'Halo record', 'Fields', 'Reason', 'Outcome'],
        plans.flatMap((plan) =>
          plan.changes.map((change) => [
            plan.connectionName,
            plan.tenantId,
            change.kind,
            'upn' in change ? change.upn : '',
            recordOf(change),
            fieldsOf(change),
            change.reason,
            statusOf(plan),
          ]),
        ),
      ),
      'inbound-log': toCsv(
        [
          'Connection',
          'Entra user',
          'Object id',
          'Event',
          'Mappings matched',
          'Agent',
          'User',
          'Changes',
          'Outcome',
          'Problems',
        ],
        plans.flatMap((plan) =>
          plan.log.map((entry) => [
            plan.connectionName,
            entry.upn,
            entry.oid,
            entry.event,
            entry.mappings.join('; '),
            entry.agent ?? '',
            entry.user ?? '',
            entry.changes.join('; '),
            entry.outcome,
            (entry.problems ?? []).join('; '),
          ]),
        ),
      ),
      problems: toCsv(
        ['Connection', 'Tenant', 'Problem'],
        plans.flatMap((plan) => plan.problems.map((problem) => [plan.connectionName, plan.tenantId, problem])),
      ),
    },
  };
}

export function recordOf(change: EntraChange): string {
  switch (change.kind) {
    case 'createSite':
      return `new site "${change.site.name}" (client #${change.site.clientId})`;
    case 'createAgent':
      return `new agent ${change.body.email ?? ''}`.trim();
    case 'createUser':
      return `new user ${String(change.body.emailaddress ?? '')}`.trim();
    case 'addCabMember':
      return `CAB #${change.cabId} "${change.cabName}"`;
    case 'reassignTicket':
      return `ticket #${change.ticketId}`;
    case 'updateUser':
    case 'deactivateUser':
    case 'reactivateUser':
    case 'linkLicences':
      return `user #${change.userId}`;
    case 'assignLicence':
      return `Entra user ${change.oid} (Halo user #${change.userId})`;
    case 'createLicence':
      return `new licence "${change.body.name ?? change.skuId}"`;
    case 'updateLicence':
      return `licence #${change.licenceId}`;
    default:
      return typeof change.agentId === 'number' ? `agent #${change.agentId}` : 'new agent';
  }
}

function fieldsOf(change: EntraChange): string {
  if (!('fields' in change)) return '';
  return change.fields.map((f) => `${f.field}: ${f.from ?? '?'} -> ${f.to}`).join('; ');
}
