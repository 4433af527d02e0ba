import type { SyncDefinition } from './definition';
import type { RunStatusView } from './runStatus';
import type { RunSummary } from './startRun';
import type { SourceState } from './tenantState';

/** Human lines for a run (the CLI and the demo print them): each source's outcome, then totals and report paths. */
export function describeRun(sync: SyncDefinition, view: RunStatusView): { lines: string[]; failures: string[] } {
  const summary = (view.run.summary ?? {}) as Partial<RunSummary>;
  const lines = [`run ${view.run.runId} (${summary.mode ?? '?'} mode): ${view.run.status}`];
  if (summary.tookOver)
    lines.push(`took over from run ${summary.tookOver.runId} (lease expired ${summary.tookOver.expiredAt})`);
  if (summary.whileApplying) {
    lines.push(`planned while apply run ${summary.whileApplying} was writing: some changes may already be made`);
  }
  if (view.lease && !view.lease.active) {
    lines.push(`stalled: no progress since ${view.lease.renewedAt}; the next apply start takes over`);
  }
  const failures: string[] = [];
  for (const tenant of [...view.tenants].sort((a, b) => a.displayName.localeCompare(b.displayName))) {
    if (tenant.phase === 'failed') failures.push(`${tenant.displayName} (${tenant.tenantId}): ${tenant.error}`);
    lines.push(`${tenant.displayName}: ${sourceLine(sync, tenant)}`);
  }
  if (view.run.status !== 'running') lines.push(...sync.describeTotals(view.run.counts, summary));
  for (const path of view.reports) lines.push(`report: reports/${path}`);
  return { lines, failures };
}

function sourceLine(sync: SyncDefinition, state: SourceState): string {
  if (state.phase === 'failed') return `FAILED: ${state.error}`;
  if (state.phase !== 'done')
    return `${state.phase} (attempt ${state.attempts})${state.error ? `: ${state.error}` : ''}`;
  return sync.describeSource(state);
}
