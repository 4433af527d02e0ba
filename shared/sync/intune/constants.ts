/** The Intune sync's state name: runs partition, report folder (`intune-sync/<runId>/`), dedupe scopes, lease. */
export const INTUNE_SYNC_STORAGE = 'intune-sync';

export const INTUNE_SYNC_MODES = ['plan', 'apply'] as const;

export const INTUNE_GRAPH_NOT_CONFIGURED =
  'the Intune sync needs Microsoft Graph: set GRAPH_CLIENT_ID and GRAPH_HOME_TENANT_ID';

/** Dedupe scope of the lock held while a type or licence that tenants share is being created. */
export const SHARED_CREATE_SCOPE = 'intune-sync-create';
