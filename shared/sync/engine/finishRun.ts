import { z } from 'zod';
import type { Container } from '../../app/container';
import type { TenantPlan } from '../contacts/changes';
import { summarisePlan } from '../contacts/plan';
import { buildReport, type TenantOutcome } from '../contacts/report';
import { blobPaths, DEDUPE, RUN_KIND } from './keys';
import { SYNC_MODES } from './messages';
import { getPlan } from './runBlobs';
import type { RunSummary } from './startRun';
import { isFinished, listTenantRows, type TenantRow } from './tenantState';

export type FinishDeps = Pick<Container, 'stores' | 'reports' | 'now' | 'log'>;

export const MAX_LISTED_FAILURES = 20;
const REPORT_CLAIM_STALE_MS = 5 * 60_000;

const runSummarySchema = z.looseObject({ mode: z.enum(SYNC_MODES) });

/**
 * Called whenever a tenant of the run finishes (or fails for good). When none is left running, exactly one
 * caller (a dedupe claim) writes the report blobs and closes the run; a failure releases the claim and throws, so
 * the caller's message is retried and tries again.
 */
export async function maybeFinishRun(
  deps: FinishDeps,
  runId: string,
): Promise<'finished' | 'pending' | 'elsewhere' | 'alreadyFinished'> {
  const run = await deps.stores.runs.get(RUN_KIND, runId);
  if (!run) throw new Error(`tenant sync run ${runId} does not exist`);
  if (run.status !== 'running') return 'alreadyFinished';
  const rows = await listTenantRows(deps.stores.runs, runId);
  if (rows.some((row) => !isFinished(row.state))) return 'pending';
  const claim = await deps.stores.dedupe.claim(DEDUPE.report, runId, {}, { staleAfterMs: REPORT_CLAIM_STALE_MS });
  if (!claim.claimed) return 'elsewhere';
  try {
    const summary = runSummarySchema.parse(run.summary) as z.output<typeof runSummarySchema> & RunSummary;
    const finishedAt = deps.now().toISOString();
    const plans: TenantPlan[] = [];
    for (const row of rows) {
      const plan = await getPlan(deps.reports, runId, row.state.tenantId);
      if (plan) plans.push(plan);
    }
    const outcomes = rows.map((row) => outcomeOf(row, summary.mode));
    const files = buildReport(runId, plans, {
      mode: summary.mode,
      startedAt: run.startedAt,
      finishedAt,
      tenantOutcomes: outcomes,
    });
    const paths = blobPaths(runId);
    const written: string[] = [];
    const put = async (path: string, content: string, type: string) => {
      written.push((await deps.reports.put(path, content, type)).path);
    };
    await put(paths.report, JSON.stringify(files.json, null, 2), 'application/json');
    for (const [name, csv] of Object.entries(files.csv)) await put(paths.csv(name), csv, 'text/csv');

    const failed = rows.filter((row) => row.state.phase === 'failed');
    const outcome: NonNullable<RunSummary['outcome']> = {
      succeeded: rows.length - failed.length,
      failed: failed.length,
      failures: failed.slice(0, MAX_LISTED_FAILURES).map((row) => ({
        tenantId: row.state.tenantId,
        displayName: row.state.displayName,
        error: row.state.error ?? 'failed',
      })),
    };
    await put(
      paths.run,
      JSON.stringify(
        { runId, ...summary, startedAt: run.startedAt, finishedAt, tenants: rows.map((r) => r.state) },
        null,
        2,
      ),
      'application/json',
    );
    const planned = summarisePlan(plans);
    const counts: Record<string, number> = {
      tenants: rows.length,
      succeeded: outcome.succeeded,
      failed: outcome.failed,
      matched: planned.matched,
      unmatched: planned.unmatched,
      appliedChanges: rows.reduce((n, row) => n + (row.state.appliedChanges ?? 0), 0),
      ...planned.changes,
    };
    await deps.stores.runs.finish(RUN_KIND, runId, {
      status: failed.length === 0 ? 'succeeded' : failed.length === rows.length ? 'failed' : 'partial',
      counts,
      summary: { ...summary, reports: written, outcome },
      ...(failed.length === 0 ? {} : { error: `${failed.length} of ${rows.length} tenant(s) failed` }),
    });
    await deps.stores.dedupe.complete(DEDUPE.report, runId, { reports: written.length });
    deps.log.info('tenant sync run finished', { runId, tenants: rows.length, failed: failed.length });
    return 'finished';
  } catch (error) {
    await deps.stores.dedupe.release(DEDUPE.report, runId);
    throw error;
  }
}

function outcomeOf(row: TenantRow, mode: RunSummary['mode']): TenantOutcome {
  const { state } = row;
  if (state.phase === 'failed') {
    return {
      tenantId: state.tenantId,
      status: 'failed',
      error: state.error ?? 'failed',
      ...(state.appliedChanges ? { appliedChanges: state.appliedChanges } : {}),
    };
  }
  return mode === 'apply'
    ? { tenantId: state.tenantId, status: 'applied', appliedChanges: state.appliedChanges ?? 0 }
    : { tenantId: state.tenantId, status: 'planned' };
}
