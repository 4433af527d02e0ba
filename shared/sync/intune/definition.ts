import { QUEUES } from '../../storage';
import type { SyncDefinition } from '../engine/definition';
import { beforeSendIntuneWrites, sendIntuneWrites } from './beforeSend';
import { companyFound, type IntunePlan } from './changes';
import { INTUNE_GRAPH_NOT_CONFIGURED, INTUNE_SYNC_MODES, INTUNE_SYNC_STORAGE } from './constants';
import { describeIntuneSource, describeIntuneTotals } from './describe';
import { planIntuneSource } from './planSource';
import { prepareIntuneRun } from './prepareRun';
import { buildIntuneReport, summariseIntune } from './report';
import { listIntuneSources } from './sources';
import { nextState, readSourceState, writeSourceState } from './state';
import { toIntuneWrites } from './writes';

/**
 * Intune sync: managed devices → Halo assets, for one organisation (a connection) or every customer tenant of an
 * MSP (under the company tenant sync matched). Halo's companies, users, types and licences are read once per run;
 * each tenant reads its devices from Graph and its company's assets from Halo (one paged read) and is planned by
 * `planIntuneTenant`; the writes are types and licences it needs, then assets, in arrays of up to 100.
 */
export const intuneSync: SyncDefinition<IntunePlan> = {
  kind: 'intune',
  title: 'Intune sync',
  storageName: INTUNE_SYNC_STORAGE,
  queue: QUEUES.intuneSync,
  functionName: 'intuneSync',
  modes: INTUNE_SYNC_MODES,
  settings: ({ intuneSync: config }) => ({
    enabled: config.enabled,
    schedule: config.schedule,
    mode: config.mode,
    writeBatchSize: config.halo.writeBatchSize,
  }),
  notConfigured(deps) {
    if (!deps.graph) return INTUNE_GRAPH_NOT_CONFIGURED;
    if (!deps.config.intuneSync.assetType)
      return 'the Intune sync needs intuneSync.assetType (which Halo asset type new assets get)';
    return undefined;
  },
  listSources: listIntuneSources,
  unknownSource: (tenantId) =>
    `tenant ${tenantId} is not a source of the Intune sync: it is not a configured connection, nor a customer tenant ` +
    'tenant sync finds (or intuneSync.sources.only / exclude leave it out)',
  prepareRun: prepareIntuneRun,
  planSource: planIntuneSource,
  writes: (plan, { batchSize }) => toIntuneWrites(plan, { batchSize }),
  beforeSend: beforeSendIntuneWrites,
  send: sendIntuneWrites,
  /** Commits the tenant's state (baseline count, software and users written) once every batch is sent. */
  async afterApply(deps, plan, { runId }) {
    if (!companyFound(plan.company)) return;
    const previous = await readSourceState(deps.reports, plan.tenantId);
    await writeSourceState(deps.reports, plan.tenantId, nextState(previous, plan.state, { runId, at: deps.now() }));
  },
  sourceDetails: (plan) => ({
    company: plan.company,
    devices: plan.devices,
    deletion: { mode: plan.deletion.mode, reason: plan.deletion.reason },
    ...(plan.software ? { software: plan.software } : {}),
    ...(plan.problems.length > 0 ? { problems: plan.problems.slice(0, 10) } : {}),
  }),
  runCounts(plans) {
    const summary = summariseIntune(plans);
    return {
      matched: summary.matched,
      unmatched: summary.unmatched,
      devices: summary.devices,
      excludedDefender: summary.excludedDefender,
      skipped: summary.skipped,
      deletionsBlocked: summary.deletionsBlocked,
      ...summary.changes,
    };
  },
  report: (runId, plans, options) => buildIntuneReport(runId, plans, options),
  describeSource: describeIntuneSource,
  describeTotals: describeIntuneTotals,
};
