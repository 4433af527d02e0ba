/**
 * Syncs into Halo: the engine (engine/), each sync in its own folder (contacts/; entra/ and intune/ to come), the
 * helpers they share (common/), and the list of syncs the functions serve (syncs.ts). See README.md.
 */
export * from './engine';
export { requireSync, SYNCS, syncOf } from './syncs';
