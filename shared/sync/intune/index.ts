/** Intune sync (managed devices → Halo assets): its definition, pure planning, writes and reports. */

export * from './assetType';
export * from './changes';
export { INTUNE_SYNC_STORAGE } from './constants';
export { intuneSync } from './definition';
export { devicesNeedingDetails, rotationSlot } from './details';
export { formatDeviceValue, sameValue } from './deviceValues';
export { identifierOf, ignoredSerials } from './identifiers';
export { type DeviceMatch, matchAssets, matchKeys } from './matchAssets';
export { type IntunePlanInput, planIntuneTenant } from './planTenant';
export { buildIntuneReport, summariseIntune } from './report';
export { licenceIndex, planSoftware } from './software';
export { nextState, readSourceState, statePath } from './state';
export { deletionGuard, isInactive, statusChangeFor } from './statuses';
export type * from './types';
export { countPerRecordRequests, toIntuneWrites } from './writes';
