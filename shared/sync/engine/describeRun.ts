import type { RunStatusView } from './runStatus';
import type { RunSummary } from './startRun';
import type { TenantState } from './tenantState';

/** Human lines for a run (the CLI and the demo print them): each tenant's outcome, then totals and report paths. */
export function describeRun(view: RunStatusView): { lines: string[]; failures: string[] } {
  const summary = (view.run.summary ?? {}) as Partial<RunSummary>;
  const lines = [`run ${view.run.runId} (${summary.mode ?? '?'} mode): ${view.run.status}`];
  const failures: string[] = [];
  for (const tenant of [...view.tenants].sort((a, b) => a.displayName.localeCompare(b.displayName))) {
    if (tenant.phase === 'failed') failures.push(`${tenant.displayName} (${tenant.tenantId}): ${tenant.error}`);
    lines.push(`${tenant.displayName}: ${tenantLine(tenant)}`);
  }
  const counts = view.run.counts;
  if (view.run.status !== 'running') {
    lines.push(
      `contacts: ${counts.createContact ?? 0} created, ${(counts.pairContact ?? 0) + (counts.reactivateContact ?? 0)} paired, ` +
        `${counts.updateContact ?? 0} updated, ${counts.deactivateContact ?? 0} deactivated; ` +
        `${counts.linkTenant ?? 0} tenant(s) linked; ${counts.appliedChanges ?? 0} change(s) applied`,
    );
  }
  if (summary.halo) {
    lines.push(
      `Halo read once: ${summary.halo.companies} companies, ${summary.halo.sites} sites, ${summary.halo.contacts} contacts (contacts by ${summary.halo.contactsFrom})`,
    );
  }
  for (const path of summary.reports ?? []) lines.push(`report: reports/${path}`);
  return { lines, failures };
}

function tenantLine(tenant: TenantState): string {
  if (tenant.phase === 'failed') return `FAILED: ${tenant.error}`;
  if (tenant.phase !== 'done')
    return `${tenant.phase} (attempt ${tenant.attempts})${tenant.error ? `: ${tenant.error}` : ''}`;
  const match = tenant.match as Record<string, unknown> | undefined;
  if (!match) return 'done';
  if (!('clientId' in match)) return `unmatched: ${match.unmatched}. ${match.instruction}`;
  const c = tenant.changes ?? {};
  const parts = [
    `${c.createContact ?? 0} created`,
    `${(c.pairContact ?? 0) + (c.reactivateContact ?? 0)} paired`,
    `${c.updateContact ?? 0} updated`,
    `${c.deactivateContact ?? 0} deactivated`,
  ];
  if (c.linkTenant) parts.push('tenant linked');
  const applied = tenant.mode === 'apply' ? `; ${tenant.appliedChanges ?? 0} applied` : ' (planned)';
  return `matched by ${match.by} to "${match.clientName}" (#${match.clientId}); ${parts.join(', ')}${applied}`;
}
