import type { Container } from '../../app/container';
import type { RunRecord } from '../../storage';
import type { SyncDefinition, SyncKind } from './definition';
import { isLeaseActive, type LeaseHolder, readLease } from './lease';
import { readScheduleState, type ScheduleState } from './schedule';
import { listSourceRows, type SourceState } from './tenantState';

/** One run with each source's state (the status endpoint, the CLI, the demo and the console read this). */
export interface RunStatusView {
  kind: SyncKind;
  run: RunRecord;
  tenants: (SourceState & { status: RunRecord['status'] })[];
  /** Report blobs (paths in the reports container), once the run has finished. */
  reports: string[];
  /** The run's lease, while it runs in apply mode: who holds it and until when (a stalled run shows it expired). */
  lease?: LeaseHolder & { active: boolean };
}

/** A sync at a glance: its settings, its schedule, the apply run holding its lease, its newest runs. */
export interface SyncOverview {
  kind: SyncKind;
  title: string;
  enabled: boolean;
  mode: string;
  schedule: ScheduleState;
  lease?: LeaseHolder & { active: boolean };
  runs: RunRecord[];
}

type ReadDeps = Pick<Container, 'stores' | 'now' | 'config'>;

export async function getRunStatus(
  deps: ReadDeps,
  sync: SyncDefinition,
  runId: string,
): Promise<RunStatusView | undefined> {
  const run = await deps.stores.runs.get(sync.storageName, runId);
  if (!run) return undefined;
  const rows = await listSourceRows(deps.stores.runs, sync.storageName, runId);
  const view: RunStatusView = {
    kind: sync.kind,
    run,
    tenants: rows.map((row) => ({ ...row.state, status: row.record.status })),
    reports: reportsOf(run),
  };
  if (run.status === 'running') {
    const lease = await readLease(deps, sync.storageName);
    if (lease?.runId === runId) view.lease = { ...lease, active: isLeaseActive(lease, deps.now()) };
  }
  return view;
}

/** The newest runs, newest first. */
export function listRuns(deps: Pick<Container, 'stores'>, sync: SyncDefinition, top = 10): Promise<RunRecord[]> {
  return deps.stores.runs.list(sync.storageName, { top });
}

export async function getSyncOverview(deps: ReadDeps, sync: SyncDefinition, top = 10): Promise<SyncOverview> {
  const settings = sync.settings(deps.config);
  const [lease, schedule, runs] = await Promise.all([
    readLease(deps, sync.storageName),
    readScheduleState(deps, sync),
    listRuns(deps, sync, top),
  ]);
  return {
    kind: sync.kind,
    title: sync.title,
    enabled: settings.enabled,
    mode: settings.mode,
    schedule,
    ...(lease ? { lease: { ...lease, active: isLeaseActive(lease, deps.now()) } } : {}),
    runs,
  };
}

function reportsOf(run: RunRecord): string[] {
  const reports = (run.summary as { reports?: unknown } | undefined)?.reports;
  return Array.isArray(reports) ? reports.filter((r): r is string => typeof r === 'string') : [];
}
