import { scheduleEvery, untrackedFieldUses } from '../../config/integration/entra';
import { QUEUES } from '../../storage';
import type { SyncDefinition } from '../engine/definition';
import type { EntraPlan } from './changes';
import { commitEntraPlan } from './commit';
import { ENTRA_SYNC_MODES, ENTRA_SYNC_STORAGE } from './constants';
import { describeEntraSource, describeEntraTotals, entraSourceDetails } from './describe';
import { beforeSendEntraWrites, sendEntraWrites } from './haloWrites';
import { planEntraSource } from './planSource';
import { buildEntraReport, entraRunCounts } from './report';
import { entraWrites } from './writes';

/**
 * Entra ID users and agents → Halo (issue 11). Its sources are the enabled connections (one per Entra tenant);
 * each is read with users and groups delta queries against its stored directory copy, planned by the pure
 * planner (plan/), and written in phases (sites, agents, agent updates, users, CABs, tickets) of up to 100
 * records; once applied, its delta links move on (afterApply).
 */
export const entraSync: SyncDefinition<EntraPlan> = {
  kind: 'entra',
  title: 'Entra ID sync',
  storageName: ENTRA_SYNC_STORAGE,
  queue: QUEUES.entraSync,
  functionName: 'entraSync',
  modes: ENTRA_SYNC_MODES,
  settings: ({ entraSync: config }) => ({
    enabled: config.enabled,
    schedule: scheduleEvery(config.everyMinutes),
    mode: config.mode,
    writeBatchSize: config.halo.writeBatchSize,
  }),
  notConfigured: ({ config }) =>
    config.entraSync.connections.some((c) => c.enabled)
      ? undefined
      : 'no Entra connection is enabled (entraSync.connections)',
  listSources: async ({ config }) =>
    config.entraSync.connections
      .filter((c) => c.enabled)
      .map((c) => ({ tenantId: c.tenantId, displayName: c.name, source: 'connection' })),
  unknownSource: (tenantId) => `tenant ${tenantId} has no enabled Entra connection (entraSync.connections)`,
  prepareRun: async ({ config }) => {
    const untracked = untrackedFieldUses(config.entraSync);
    return untracked.length > 0 ? { untrackedFields: untracked } : {};
  },
  planSource: planEntraSource,
  writes: (plan, { batchSize }) => entraWrites(plan, { batchSize }),
  beforeSend: beforeSendEntraWrites,
  send: sendEntraWrites,
  afterApply: async (deps, plan, context) => {
    await commitEntraPlan(deps, plan, context);
  },
  sourceDetails: entraSourceDetails,
  runCounts: entraRunCounts,
  report: buildEntraReport,
  describeSource: describeEntraSource,
  describeTotals: describeEntraTotals,
};
