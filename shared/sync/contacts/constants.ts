/** The contact sync's state name (runs partition, report folder, dedupe scopes), kept from before the engine. */
export const CONTACT_SYNC_STORAGE = 'tenant-sync';

export const CONTACT_SYNC_MODES = ['match', 'plan', 'apply'] as const;

export const GRAPH_NOT_CONFIGURED = 'tenant sync needs Microsoft Graph: set GRAPH_CLIENT_ID and GRAPH_HOME_TENANT_ID';
