import type { Container } from '../../app/container';
import { redact } from '../../runtime/redact';
import { QUEUES, typedQueue } from '../../storage';
import type { CustomerTenant } from '../contacts/customerTenants';
import { discoverTenants } from '../contacts/discoverTenants';
import { readHaloSnapshot } from '../contacts/readHaloSnapshot';
import type { SyncMode } from '../contacts/report';
import { maybeFinishRun } from './finishRun';
import { RUN_KIND } from './keys';
import { tenantSyncMessageSchema } from './messages';
import { putHaloSnapshot } from './runBlobs';
import { saveTenantState } from './tenantState';

export type StartDeps = Pick<Container, 'config' | 'graph' | 'halo' | 'log' | 'now' | 'storage' | 'stores' | 'reports'>;

export interface StartOptions {
  tenantId?: string;
  mode?: SyncMode;
  trigger: 'schedule' | 'http' | 'cli' | 'demo';
}

export interface RunSummary {
  mode: SyncMode;
  trigger: StartOptions['trigger'];
  tenantFilter?: string;
  tenants: number;
  halo?: { companies: number; sites: number; contacts: number; contactsFrom: 'report' | 'list'; snapshot: string };
  reports?: string[];
  /** Set when the run finishes; at most MAX_LISTED_FAILURES failures are listed (the tenant rows hold all). */
  outcome?: { succeeded: number; failed: number; failures: { tenantId: string; displayName: string; error: string }[] };
}

export type StartResult =
  | { ok: true; runId: string; mode: SyncMode; tenants: number }
  | { ok: false; reason: 'notConfigured' | 'unknownTenant'; message: string }
  | { ok: false; reason: 'failed'; runId: string; message: string };

/**
 * Starts a run: customer tenants from the partner tenant, Halo's companies, sites and contacts read in bulk once
 * (stored as the run's snapshot), a row per tenant, then one `tenant-sync` message per tenant. A failure after
 * the run record exists finishes the run as failed, with the reason.
 */
export async function startTenantSync(deps: StartDeps, options: StartOptions): Promise<StartResult> {
  const config = deps.config.tenantSync;
  const graph = deps.graph;
  if (!graph) {
    return {
      ok: false,
      reason: 'notConfigured',
      message: 'tenant sync needs Microsoft Graph: set GRAPH_CLIENT_ID and GRAPH_HOME_TENANT_ID',
    };
  }
  const mode = options.mode ?? config.mode;
  const log = deps.log.child({ flow: 'tenant-sync' });
  let tenants: CustomerTenant[];
  try {
    tenants = await discoverTenants(graph, config, log);
  } catch (error) {
    // Still a run, so that a scheduled sync that could not start leaves a visible failed status.
    const message = redact((error as Error).message);
    const run = await deps.stores.runs.start(RUN_KIND, { summary: { mode, trigger: options.trigger, tenants: 0 } });
    await deps.stores.runs.finish(RUN_KIND, run.runId, { status: 'failed', error: message });
    log.error('tenant sync run could not discover customer tenants', { runId: run.runId, error: message });
    return { ok: false, reason: 'failed', runId: run.runId, message };
  }
  if (options.tenantId !== undefined) {
    const wanted = options.tenantId.toLowerCase();
    tenants = tenants.filter((t) => t.tenantId.toLowerCase() === wanted);
    if (tenants.length === 0) {
      return {
        ok: false,
        reason: 'unknownTenant',
        message: `tenant ${options.tenantId} is not a customer tenant to sync: it is not among the GDAP customers or contracts, nor in tenantSync.include, or it is in tenantSync.exclude`,
      };
    }
  }
  const summary: RunSummary = {
    mode,
    trigger: options.trigger,
    ...(options.tenantId ? { tenantFilter: options.tenantId } : {}),
    tenants: tenants.length,
  };
  const run = await deps.stores.runs.start(RUN_KIND, { summary, counts: { tenants: tenants.length } });
  try {
    const read = await readHaloSnapshot(deps.halo, config, log);
    const snapshotPath = await putHaloSnapshot(deps.reports, run.runId, read.snapshot);
    summary.halo = {
      companies: read.snapshot.clients.length,
      sites: read.snapshot.sites.length,
      contacts: read.snapshot.users.length,
      contactsFrom: read.contactsFrom,
      snapshot: snapshotPath,
    };
    await deps.stores.runs.upsert({ ...run, summary });
    const now = deps.now();
    for (const t of tenants) {
      await saveTenantState(
        deps.stores.runs,
        run.runId,
        { ...t, mode, phase: 'queued', attempts: 0 },
        run.startedAt,
        now,
      );
    }
    const queue = typedQueue(deps.storage, QUEUES.tenantSync, tenantSyncMessageSchema);
    await queue.sendMany(tenants.map((t) => ({ runId: run.runId, tenantId: t.tenantId, mode })));
    log.info('tenant sync run started', { runId: run.runId, mode, tenants: tenants.length, trigger: options.trigger });
    if (tenants.length === 0) await maybeFinishRun(deps, run.runId);
    return { ok: true, runId: run.runId, mode, tenants: tenants.length };
  } catch (error) {
    const message = redact((error as Error).message);
    log.error('tenant sync run could not start', { runId: run.runId, error: message });
    await deps.stores.runs.finish(RUN_KIND, run.runId, { status: 'failed', summary, error: message });
    return { ok: false, reason: 'failed', runId: run.runId, message };
  }
}
