/** Entra ID users and agents → Halo (issue 11): see definition.ts and shared/sync/README.md. */
export * from './changes';
export { commitEntraPlan } from './commit';
export { ENTRA_SYNC_MODES, ENTRA_SYNC_STORAGE } from './constants';
export { entraSync } from './definition';
export * from './directory';
export { type PlanInput, type PlanResult, planConnection, type UserEvent } from './plan';
export { entraWrites } from './writes';
