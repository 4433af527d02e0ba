/**
 * The sync engine: runs and their lease, one queue message per source, plans stored once and applied in recorded
 * batches, reports, schedules, and the read API for runs. Every function takes the sync's definition; the syncs
 * themselves (contacts/, and entra/ and intune/ to come) know nothing of runs. See ../README.md.
 */
export { type ApplyResult, applyPlan } from './applyPlan';
export * from './definition';
export { describeRun } from './describeRun';
export { maybeFinishRun } from './finishRun';
export { type JsonResponse, startFromHttp, statusFromHttp, syncStatusRoute } from './httpApi';
export { type BodyResult, parseJsonBody } from './jsonBody';
export { blobPaths, checkpointKeys, dedupeScopes, tenantRowKind } from './keys';
export * from './lease';
export { markSourceFailed } from './markTenantFailed';
export * from './messages';
export { getRunSnapshot, putRunSnapshot } from './runBlobs';
export { getRunStatus, getSyncOverview, listRuns, type RunStatusView, type SyncOverview } from './runStatus';
export * from './schedule';
export { type RunSummary, type StartOptions, type StartResult, startRun } from './startRun';
export { type SyncSourceResult, syncSource } from './syncTenant';
export type { SourcePhase, SourceState } from './tenantState';
export { toWriteBatches, type WriteRecord } from './writeBatches';
