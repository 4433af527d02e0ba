import { QUEUES } from '../../storage';
import type { SyncDefinition } from '../engine/definition';
import { putRunSnapshot } from '../engine/runBlobs';
import type { TenantPlan } from './changes';
import { CONTACT_SYNC_MODES, CONTACT_SYNC_STORAGE, GRAPH_NOT_CONFIGURED } from './constants';
import { describeTenant, describeTotals } from './describe';
import { discoverTenants } from './discoverTenants';
import { beforeSendContactWrites } from './haloWrites';
import { summarisePlan } from './plan';
import { planTenantSource } from './planTenantSource';
import { readHaloSnapshot } from './readHaloSnapshot';
import { buildReport, type SyncMode } from './report';
import { toHaloWrites } from './writes';

/**
 * Tenant sync: Microsoft 365 customer tenants → Halo companies and contacts. Its sources are the customer
 * tenants (GDAP, contracts, config); the run reads Halo's companies, sites and contacts once, in bulk; each
 * tenant is read from Graph and planned by `planTenant` (company match, then contacts); the writes are company
 * links and contacts, in arrays of up to 100.
 */
export const contactSync: SyncDefinition<TenantPlan> = {
  kind: 'contacts',
  title: 'tenant sync',
  storageName: CONTACT_SYNC_STORAGE,
  queue: QUEUES.tenantSync,
  functionName: 'tenantSync',
  modes: CONTACT_SYNC_MODES,
  settings: ({ tenantSync }) => ({
    enabled: tenantSync.enabled,
    schedule: tenantSync.schedule,
    mode: tenantSync.mode,
    writeBatchSize: tenantSync.halo.writeBatchSize,
  }),
  notConfigured: (deps) => (deps.graph ? undefined : GRAPH_NOT_CONFIGURED),
  async listSources(deps, log) {
    if (!deps.graph) throw new Error(GRAPH_NOT_CONFIGURED);
    return discoverTenants(deps.graph, deps.config.tenantSync, log);
  },
  unknownSource: (tenantId) =>
    `tenant ${tenantId} is not a customer tenant to sync: it is not among the GDAP customers or contracts, nor in tenantSync.include, or it is in tenantSync.exclude`,
  async prepareRun(deps, run) {
    const read = await readHaloSnapshot(deps.halo, deps.config.tenantSync, run.log);
    const snapshot = await putRunSnapshot(deps.reports, CONTACT_SYNC_STORAGE, run.runId, read.snapshot);
    return {
      halo: {
        companies: read.snapshot.clients.length,
        sites: read.snapshot.sites.length,
        contacts: read.snapshot.users.length,
        contactsFrom: read.contactsFrom,
        snapshot,
      },
    };
  },
  planSource: planTenantSource,
  writes: (plan, { batchSize }) => toHaloWrites([plan], { batchSize }),
  beforeSend: beforeSendContactWrites,
  sourceDetails: (plan) => ({ match: plan.match, skippedUsers: plan.skippedUsers.length }),
  runCounts(plans) {
    const planned = summarisePlan(plans);
    return { matched: planned.matched, unmatched: planned.unmatched, ...planned.changes };
  },
  report: (runId, plans, options) =>
    buildReport(runId, plans, {
      mode: options.mode as SyncMode,
      startedAt: options.startedAt,
      finishedAt: options.finishedAt,
      tenantOutcomes: options.outcomes,
    }),
  describeSource: describeTenant,
  describeTotals,
};
