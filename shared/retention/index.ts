// The retention policy for the state tables: what the stateRetention timer calls.
export { applyRetention, type RetentionOutcome } from './applyRetention';
