import type { Container } from '../../app/container';
import { redact } from '../../runtime/redact';
import { QUEUES } from '../../storage';
import type { TenantPlan } from '../contacts/changes';
import { GRAPH_USER_SELECT, tenantSnapshotFromGraph } from '../contacts/graphInput';
import { planTenant } from '../contacts/plan';
import { applyPlan } from './applyPlan';
import { maybeFinishRun } from './finishRun';
import { RUN_KIND } from './keys';
import type { TenantSyncMessage } from './messages';
import { getHaloSnapshot, getPlan, putPlan } from './runBlobs';
import { getTenantRow, isFinished, saveTenantState, type TenantState } from './tenantState';

export type SyncTenantDeps = Pick<Container, 'config' | 'graph' | 'halo' | 'log' | 'now' | 'stores' | 'reports'>;

export type SyncTenantResult =
  | { status: 'done'; state: TenantState }
  /** A redelivery of a message whose tenant already finished: nothing is done again. */
  | { status: 'alreadyFinished' }
  /** The run or the tenant's row does not exist: recorded as a queue failure, not retried (it never will). */
  | { status: 'orphan'; reason: string };

/**
 * One tenant of a run: read the tenant from Graph with one client (its domains, its users with `$select`, its
 * name), plan against the run's Halo snapshot, and in apply mode send the plan in batches. The first attempt
 * stores the plan; retries apply that same plan, skipping the batches already sent. A failure is recorded on the
 * tenant's row and thrown, so the host retries the message (and finally poisons it: see markTenantFailed).
 */
export async function syncTenant(
  deps: SyncTenantDeps,
  message: TenantSyncMessage,
  delivery: { dequeueCount: number },
): Promise<SyncTenantResult> {
  const { runId, tenantId, mode } = message;
  const log = deps.log.child({ flow: 'tenant-sync', runId, tenantId });
  const run = await deps.stores.runs.get(RUN_KIND, runId);
  const row = run ? await getTenantRow(deps.stores.runs, runId, tenantId) : undefined;
  if (!run || !row) {
    const reason = run ? `tenant ${tenantId} is not part of run ${runId}` : `run ${runId} does not exist`;
    await deps.stores.queueFailures.record({ queue: QUEUES.tenantSync, message: JSON.stringify(message), reason });
    log.error('tenant sync message ignored', { reason });
    return { status: 'orphan', reason };
  }
  if (isFinished(row.state)) {
    await maybeFinishRun(deps, runId);
    return { status: 'alreadyFinished' };
  }
  const state: TenantState = { ...row.state, phase: 'syncing', attempts: row.state.attempts + 1 };
  const save = () => saveTenantState(deps.stores.runs, runId, state, row.record.startedAt, deps.now());
  await save();
  try {
    const plan = (await getPlan(deps.reports, runId, tenantId)) ?? (await planFresh(deps, message, state));
    state.match = plan.match;
    state.changes = countKinds(plan);
    state.skippedUsers = plan.skippedUsers.length;
    if (mode === 'apply') {
      const applied = await applyPlan(deps, { runId, plan, dequeueCount: delivery.dequeueCount });
      state.batches = { total: applied.batches, written: applied.batches };
      state.appliedChanges = applied.appliedChanges;
      if (applied.recoveredCreates > 0) {
        log.warn('contacts an interrupted attempt had created were not created again', {
          contacts: applied.recoveredCreates,
        });
      }
    }
    state.phase = 'done';
    delete state.error;
    await save();
  } catch (error) {
    state.phase = 'retrying';
    state.error = redact((error as Error).message);
    log.warn('tenant sync attempt failed; the message will be retried', {
      attempt: state.attempts,
      error: state.error,
    });
    await save().catch((saveError) => log.error('could not record the failed attempt', { error: saveError }));
    throw error;
  }
  log.info('tenant synced', { mode, changes: state.changes, applied: state.appliedChanges });
  await maybeFinishRun(deps, runId);
  return { status: 'done', state };
}

async function planFresh(deps: SyncTenantDeps, message: TenantSyncMessage, state: TenantState): Promise<TenantPlan> {
  if (!deps.graph) throw new Error('tenant sync needs Microsoft Graph: set GRAPH_CLIENT_ID and GRAPH_HOME_TENANT_ID');
  const graph = deps.graph.forTenant(message.tenantId);
  // The organisation first: it fetches the tenant's one token, which the other two reuse.
  const organization = await graph.getOrganization();
  const [domains, users] = await Promise.all([graph.listDomains(), graph.listUsers({ select: GRAPH_USER_SELECT })]);
  const tenant = tenantSnapshotFromGraph({
    tenantId: message.tenantId,
    displayName: organization.displayName || state.displayName,
    domains,
    users,
  });
  const halo = await getHaloSnapshot(deps.reports, message.runId);
  const plan = planTenant(tenant, halo, deps.config.tenantSync, { contacts: message.mode !== 'match' });
  await putPlan(deps.reports, message.runId, plan);
  return plan;
}

function countKinds(plan: TenantPlan): NonNullable<TenantState['changes']> {
  const counts: NonNullable<TenantState['changes']> = {};
  for (const change of plan.changes) counts[change.kind] = (counts[change.kind] ?? 0) + 1;
  return counts;
}
