import type { EntraConnection, EntraSyncConfig } from '../../../config/integration/entra';
import type { TenantGraphClient } from '../../../graph';
import type { RunContext, SyncDeps } from '../../engine/definition';
import type { Directory } from '../directory';
import type { HaloEntraSnapshot } from '../haloSnapshot';
import { readUserOids } from '../readHalo';
import { takeRefusals } from './assignments';
import { type LicencePlan, planLicences } from './plan';
import { readHaloLicences, readSkus } from './read';

export type { LicencePlan } from './plan';

/**
 * The licence part of a connection's run (issue 11 item 9): Entra's subscriptions (1 Graph request), the client's
 * licences and who holds them in Halo (1 list, plus 1 per licence when users are linked), the Halo user of each
 * Entra user (from the run's Halo read, else one SQL report), then the pure planner. Runs every time, not only
 * when the directory changed: a licence added in Halo is only seen by reading Halo.
 */
export async function planLicencePart(
  deps: Pick<SyncDeps, 'halo' | 'stores'>,
  run: RunContext,
  input: {
    config: EntraSyncConfig;
    connection: EntraConnection;
    graph: TenantGraphClient;
    directory: Directory;
    previous: Directory | undefined;
    halo: HaloEntraSnapshot | undefined;
  },
): Promise<LicencePlan> {
  const { connection, config, directory } = input;
  const settings = connection.softwareLicences;
  const clientId = settings.clientId;
  if (clientId === undefined) throw new Error('softwareLicences.clientId is required when syncs.licences is on');
  const problems: string[] = [];
  const skus = await readSkus(input.graph, problems);
  const skipped: string[] = [];
  const { licences, links } = await readHaloLicences(deps.halo, clientId, { links: settings.linkUsers }, skipped);
  problems.push(...skipped.map((row) => `Halo row skipped: ${row}`));
  const haloUserOf = settings.linkUsers ? await haloUsersByOid(deps, run, config, input.halo, problems) : {};
  const entraUsers: Record<string, { upn: string; skuIds: string[] }> = {};
  for (const user of Object.values(directory.users)) {
    if (user.goneSince) continue;
    const assigned = Array.isArray(user.props.assignedLicenses) ? (user.props.assignedLicenses as unknown[]) : [];
    entraUsers[user.id.toLowerCase()] = {
      upn: String(user.props.userPrincipalName ?? user.id),
      skuIds: assigned.map((l) => String((l as { skuId?: unknown } | null)?.skuId ?? '').toLowerCase()),
    };
  }
  for (const refusal of await takeRefusals(deps, connection.tenantId, { clear: run.mode === 'apply' })) {
    problems.push(
      `Entra refused the licence change made in Halo for ${entraUsers[refusal.oid.toLowerCase()]?.upn ?? refusal.oid} (${[
        ...refusal.add.map((s) => `add ${s}`),
        ...refusal.remove.map((s) => `remove ${s}`),
      ].join(', ')}) at ${refusal.at}: ${refusal.message}; Halo is put back to what Entra has`,
    );
  }
  const plan = planLicences({
    tenantId: connection.tenantId,
    settings: {
      clientId,
      names: settings.names,
      linkUsers: settings.linkUsers,
      manageFromHalo: settings.manageFromHalo,
    },
    skus,
    haloLicences: licences,
    entraUsers,
    haloUserOf,
    haloLinks: links,
    previous: input.previous?.licences,
  });
  return { ...plan, problems: [...problems, ...plan.problems] };
}

/** Entra object id → Halo user id: from the users this run read (when it read their ids), else one SQL report. */
async function haloUsersByOid(
  deps: Pick<SyncDeps, 'halo'>,
  run: RunContext,
  config: EntraSyncConfig,
  halo: HaloEntraSnapshot | undefined,
  problems: string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (halo?.usersFrom === 'list+report') {
    for (const user of halo.users) if (user.azureoid) out[user.azureoid.toLowerCase()] = user.id;
    return out;
  }
  const skipped: string[] = [];
  const oids = config.halo.useReports ? await readUserOids(deps.halo, skipped, run.log) : undefined;
  if (!oids) {
    problems.push(
      "users are not linked to their licences: Halo users' Entra object ids are read with a report, and reports are off or refused (entraSync.halo.useReports)",
    );
    return out;
  }
  for (const [userId, oid] of oids) out[oid] = userId;
  return out;
}
