import { z } from 'zod';
import type { Container } from '../../app/container';
import { APPLY_MODE, type SourceOutcome, type SourcePlan, type SyncDefinition } from './definition';
import { blobPaths, dedupeScopes } from './keys';
import { type LeaseDeps, releaseLease } from './lease';
import { getPlan } from './runBlobs';
import type { RunSummary } from './startRun';
import { isFinished, listSourceRows, type SourceRow } from './tenantState';

export type FinishDeps = Pick<Container, 'stores' | 'reports' | 'now' | 'log'> & LeaseDeps;

export const MAX_LISTED_FAILURES = 20;
const REPORT_CLAIM_STALE_MS = 5 * 60_000;

const runSummarySchema = z.looseObject({ mode: z.string() });

/**
 * Called whenever a source of the run finishes (or fails for good). When none is left running, exactly one
 * caller (a dedupe claim) writes the report blobs, closes the run and gives its lease up; a failure releases the
 * claim and throws, so the caller's message is retried and tries again.
 */
export async function maybeFinishRun<P extends SourcePlan>(
  deps: FinishDeps,
  sync: SyncDefinition<P>,
  runId: string,
): Promise<'finished' | 'pending' | 'elsewhere' | 'alreadyFinished'> {
  const { storageName } = sync;
  const run = await deps.stores.runs.get(storageName, runId);
  if (!run) throw new Error(`${sync.title} run ${runId} does not exist`);
  if (run.status !== 'running') return 'alreadyFinished';
  const rows = await listSourceRows(deps.stores.runs, storageName, runId);
  if (rows.some((row) => !isFinished(row.state))) return 'pending';
  const scope = dedupeScopes(storageName).report;
  const claim = await deps.stores.dedupe.claim(scope, runId, {}, { staleAfterMs: REPORT_CLAIM_STALE_MS });
  if (!claim.claimed) return 'elsewhere';
  try {
    const summary = runSummarySchema.parse(run.summary) as z.output<typeof runSummarySchema> & RunSummary;
    const finishedAt = deps.now().toISOString();
    const plans: P[] = [];
    for (const row of rows) {
      const plan = await getPlan<P>(deps.reports, storageName, runId, row.state.tenantId);
      if (plan) plans.push(plan);
    }
    const outcomes = rows.map((row) => outcomeOf(row, summary.mode));
    const files = sync.report(runId, plans, { mode: summary.mode, startedAt: run.startedAt, finishedAt, outcomes });
    const paths = blobPaths(storageName, runId);
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
    const counts: Record<string, number> = {
      tenants: rows.length,
      succeeded: outcome.succeeded,
      failed: outcome.failed,
      appliedChanges: rows.reduce((n, row) => n + (row.state.appliedChanges ?? 0), 0),
      ...sync.runCounts(plans),
    };
    await deps.stores.runs.finish(storageName, runId, {
      status: failed.length === 0 ? 'succeeded' : failed.length === rows.length ? 'failed' : 'partial',
      counts,
      summary: { ...summary, reports: written, outcome },
      ...(failed.length === 0 ? {} : { error: `${failed.length} of ${rows.length} tenant(s) failed` }),
    });
    await deps.stores.dedupe.complete(scope, runId, { reports: written.length });
    await releaseLease(deps, storageName, runId);
    deps.log.info(`${sync.title} run finished`, { runId, tenants: rows.length, failed: failed.length });
    return 'finished';
  } catch (error) {
    await deps.stores.dedupe.release(scope, runId);
    throw error;
  }
}

function outcomeOf(row: SourceRow, mode: string): SourceOutcome {
  const { state } = row;
  if (state.phase === 'failed') {
    return {
      tenantId: state.tenantId,
      status: 'failed',
      error: state.error ?? 'failed',
      ...(state.appliedChanges ? { appliedChanges: state.appliedChanges } : {}),
    };
  }
  return mode === APPLY_MODE
    ? { tenantId: state.tenantId, status: 'applied', appliedChanges: state.appliedChanges ?? 0 }
    : { tenantId: state.tenantId, status: 'planned' };
}
