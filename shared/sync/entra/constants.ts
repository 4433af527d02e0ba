/** The Entra ID sync's state name: runs partition, report folder, dedupe scopes, lease, checkpoints. */
export const ENTRA_SYNC_STORAGE = 'entra-sync';

/** plan: report what would change; apply: change Halo. */
export const ENTRA_SYNC_MODES = ['plan', 'apply'] as const;
