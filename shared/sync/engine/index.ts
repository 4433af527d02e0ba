/** Tenant sync I/O: starting runs, syncing one tenant per message, applying plans, finishing runs with reports. */

export { readHaloSnapshot } from '../contacts/readHaloSnapshot';
export { type ApplyResult, applyPlan } from './applyPlan';
export { describeRun } from './describeRun';
export { maybeFinishRun } from './finishRun';
export { type BodyResult, parseJsonBody } from './jsonBody';
export { blobPaths, RUN_KIND, SCHEDULE_CHECKPOINT, tenantRowKind } from './keys';
export { markTenantFailed } from './markTenantFailed';
export * from './messages';
export { getRunStatus, listRuns, type RunStatusView } from './runStatus';
export * from './schedule';
export { type RunSummary, type StartOptions, type StartResult, startTenantSync } from './startRun';
export { type SyncTenantResult, syncTenant } from './syncTenant';
export type { TenantState } from './tenantState';
