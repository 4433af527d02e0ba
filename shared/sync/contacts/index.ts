/** Tenant sync (Microsoft 365 tenants → Halo companies and contacts): its definition, pure planning, writes and reports. */

export { SyncInputError } from '../common/parseInput';
export * from './changes';
export { contactEmails, desiredContactFields, userAddresses } from './contactFields';
export * from './customerTenants';
export { generateSyncDataset, mutateUsers, type SyncDataset } from './dataset';
export { contactSync } from './definition';
export * from './graphInput';
export * from './haloLists';
export * from './haloReports';
export * from './matchCompany';
export * from './plan';
export { diffContact } from './planContacts';
export * from './report';
export type * from './types';
export * from './writes';
