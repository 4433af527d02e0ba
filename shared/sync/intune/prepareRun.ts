import { readHaloSnapshot } from '../contacts/readHaloSnapshot';
import type { RunContext, SyncDeps } from '../engine/definition';
import { putRunSnapshot } from '../engine/runBlobs';
import { INTUNE_SYNC_STORAGE } from './constants';
import { readAssetStatuses, readAssetTypes, readLicences } from './haloInput';
import type { IntuneHaloSnapshot } from './types';

/**
 * What every tenant of a run plans against, read from Halo once: companies (with their tenant links), sites and
 * users (tenant sync's reader: a SQL report where allowed), asset types, software licences (when software is
 * synced) and asset statuses (to name them in reports; optional). Stored with the run.
 */
export async function prepareIntuneRun(deps: SyncDeps, run: RunContext): Promise<Record<string, unknown>> {
  const config = deps.config.intuneSync;
  const base = await readHaloSnapshot(deps.halo, deps.config.tenantSync, run.log);
  const types = await readAssetTypes(deps.halo);
  const licences = config.software.enabled ? await readLicences(deps.halo) : { rows: [], unreadable: [] };
  let statuses: IntuneHaloSnapshot['statuses'];
  try {
    statuses = (await readAssetStatuses(deps.halo)).rows;
  } catch (error) {
    run.log.warn('intune sync: asset statuses could not be listed; reports show status ids only', { error });
  }
  for (const [what, read] of [
    ['asset types', types],
    ['software licences', licences],
  ] as const) {
    if (read.unreadable.length > 0)
      run.log.warn(`intune sync: unreadable Halo ${what} were left out`, { rows: read.unreadable.slice(0, 20) });
  }
  const snapshot: IntuneHaloSnapshot = {
    clients: base.snapshot.clients,
    sites: base.snapshot.sites,
    // Only what linking a device's user needs.
    users: base.snapshot.users.map((u) => ({ ...u, customfields: [] })),
    assetTypes: types.rows,
    licences: licences.rows,
    ...(statuses ? { statuses } : {}),
  };
  const path = await putRunSnapshot(deps.reports, INTUNE_SYNC_STORAGE, run.runId, snapshot);
  return {
    halo: {
      companies: snapshot.clients.length,
      sites: snapshot.sites.length,
      users: snapshot.users.length,
      usersFrom: base.contactsFrom,
      assetTypes: snapshot.assetTypes.length,
      licences: snapshot.licences.length,
      statuses: statuses?.length ?? null,
      snapshot: path,
    },
  };
}
