import { redact } from '../../runtime/redact';
import { newRunId, typedQueue } from '../../storage';
import { APPLY_MODE, inBulkLane, type SyncDefinition, type SyncDeps, type SyncSource } from './definition';
import { maybeFinishRun } from './finishRun';
import { acquireLease, isLeaseActive, type LeaseHolder, readLease, releaseLease } from './lease';
import { sourceMessageSchema } from './messages';
import { isFinished, listSourceRows, saveSourceState } from './tenantState';

export type StartDeps = SyncDeps;

export interface StartOptions {
  tenantId?: string;
  mode?: string;
  trigger: 'schedule' | 'http' | 'cli' | 'demo';
}

export interface RunSummary {
  mode: string;
  trigger: StartOptions['trigger'];
  tenantFilter?: string;
  tenants: number;
  /** This run took the lease over from a run that had stopped renewing it. */
  tookOver?: { runId: string; expiredAt: string };
  /** A report-only run started while this apply run was writing: its plan may show changes that run made. */
  whileApplying?: string;
  reports?: string[];
  /** Set when the run finishes; at most MAX_LISTED_FAILURES failures are listed (the source rows hold all). */
  outcome?: { succeeded: number; failed: number; failures: { tenantId: string; displayName: string; error: string }[] };
  /** What the sync's prepareRun added (e.g. the contact sync's Halo snapshot counts). */
  [detail: string]: unknown;
}

export type StartResult =
  | { ok: true; runId: string; mode: string; tenants: number }
  | { ok: false; reason: 'notConfigured' | 'unknownTenant'; message: string }
  /** An apply run of this sync is running: refused (HTTP 409) with that run's id. */
  | { ok: false; reason: 'busy'; runningRunId: string; leaseExpiresAt: string; message: string }
  | { ok: false; reason: 'failed'; runId: string; message: string };

/**
 * Starts a run of `sync`: in apply mode it first takes the sync's lease (refused while another apply run holds
 * it), then lists the sources, records the run, lets the sync read what the whole run shares (after the lease,
 * so a run that took over reads what the run before it wrote), writes a row per source and sends one queue
 * message per source. A failure after the run record exists finishes the run as failed, with the reason.
 */
export async function startRun(deps: StartDeps, sync: SyncDefinition, options: StartOptions): Promise<StartResult> {
  const problem = sync.notConfigured(deps);
  if (problem) return { ok: false, reason: 'notConfigured', message: problem };
  const mode = options.mode ?? sync.settings(deps.config).mode;
  const log = deps.log.child({ flow: sync.storageName });
  const runId = newRunId(deps.now());
  const summary: RunSummary = { mode, trigger: options.trigger, tenants: 0 };
  if (mode === APPLY_MODE) {
    const lease = await acquireLease(deps, sync.storageName, runId);
    if (!lease.acquired) return busy(sync, lease.holder);
    if (lease.tookOverFrom) {
      summary.tookOver = { runId: lease.tookOverFrom.runId, expiredAt: lease.tookOverFrom.expiresAt };
      await abandonRun(deps, sync, lease.tookOverFrom, runId);
    }
  } else {
    const holder = await readLease(deps, sync.storageName);
    if (isLeaseActive(holder, deps.now())) summary.whileApplying = holder.runId;
  }
  const giveUp = () => releaseLease(deps, sync.storageName, runId);

  let sources: SyncSource[];
  try {
    sources = await sync.listSources(deps, log);
  } catch (error) {
    // Still a run, so that a scheduled sync that could not start leaves a visible failed status.
    const message = redact((error as Error).message);
    await deps.stores.runs.start(sync.storageName, { runId, summary });
    await deps.stores.runs.finish(sync.storageName, runId, { status: 'failed', error: message });
    await giveUp();
    log.error(`${sync.title} run could not list its sources`, { runId, error: message });
    return { ok: false, reason: 'failed', runId, message };
  }
  if (options.tenantId !== undefined) {
    const wanted = options.tenantId.toLowerCase();
    sources = sources.filter((s) => s.tenantId.toLowerCase() === wanted);
    if (sources.length === 0) {
      await giveUp();
      return { ok: false, reason: 'unknownTenant', message: sync.unknownSource(options.tenantId) };
    }
    summary.tenantFilter = options.tenantId;
  }
  summary.tenants = sources.length;
  const run = await deps.stores.runs.start(sync.storageName, { runId, summary, counts: { tenants: sources.length } });
  try {
    Object.assign(summary, await sync.prepareRun(inBulkLane(deps), { runId, mode, log }));
    await deps.stores.runs.upsert({ ...run, summary });
    const now = deps.now();
    for (const s of sources) {
      const state = { tenantId: s.tenantId, displayName: s.displayName, source: s.source };
      await saveSourceState(
        deps.stores.runs,
        sync.storageName,
        runId,
        { ...state, mode, phase: 'queued', attempts: 0 },
        run.startedAt,
        now,
      );
    }
    const queue = typedQueue(deps.storage, sync.queue, sourceMessageSchema(sync));
    await queue.sendMany(sources.map((s) => ({ runId, tenantId: s.tenantId, mode, kind: sync.kind })));
    log.info(`${sync.title} run started`, { runId, mode, tenants: sources.length, trigger: options.trigger });
    if (sources.length === 0) await maybeFinishRun(deps, sync, runId);
    return { ok: true, runId, mode, tenants: sources.length };
  } catch (error) {
    const message = redact((error as Error).message);
    log.error(`${sync.title} run could not start`, { runId, error: message });
    await deps.stores.runs.finish(sync.storageName, runId, { status: 'failed', summary, error: message });
    await giveUp();
    return { ok: false, reason: 'failed', runId, message };
  }
}

function busy(sync: SyncDefinition, holder: LeaseHolder): StartResult {
  return {
    ok: false,
    reason: 'busy',
    runningRunId: holder.runId,
    leaseExpiresAt: holder.expiresAt,
    message: `a ${sync.title} run is already running in apply mode: run ${holder.runId} (its lease runs until ${holder.expiresAt}, renewed while it works); start again when it has finished`,
  };
}

/**
 * The run that stopped renewing its lease is closed as failed, with each unfinished source, so that its status
 * says what happened; a late message of it finds its source finished (or, mid-write, the lease lost) and stops.
 */
async function abandonRun(deps: StartDeps, sync: SyncDefinition, old: LeaseHolder, newRunId: string): Promise<void> {
  const reason = `abandoned: no progress since ${old.renewedAt}; its lease expired at ${old.expiresAt} and run ${newRunId} took over`;
  try {
    const run = await deps.stores.runs.get(sync.storageName, old.runId);
    if (run?.status !== 'running') return;
    const now = deps.now();
    for (const row of await listSourceRows(deps.stores.runs, sync.storageName, old.runId)) {
      if (isFinished(row.state)) continue;
      const state = { ...row.state, phase: 'failed' as const, error: reason };
      await saveSourceState(deps.stores.runs, sync.storageName, old.runId, state, row.record.startedAt, now);
    }
    await deps.stores.runs.finish(sync.storageName, old.runId, { status: 'failed', error: reason });
    deps.log.warn(`${sync.title}: took over the lease of a stalled run`, { runId: newRunId, abandoned: old.runId });
  } catch (error) {
    deps.log.error(`${sync.title}: could not close the abandoned run`, { runId: old.runId, error });
  }
}
