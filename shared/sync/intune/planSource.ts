import {
  type IntuneDeviceField,
  type IntuneSyncConfig,
  LIST_PLACEHOLDER_FIELDS,
} from '../../config/integration/intune';
import type { TenantGraphClient } from '../../graph';
import { createRollingWindowLimiter } from '../../runtime/rollingWindow';
import { tenantSnapshotFromGraph } from '../contacts/graphInput';
import { matchCompany } from '../contacts/matchCompany';
import type { RunContext, SyncDeps } from '../engine/definition';
import { getRunSnapshot } from '../engine/runBlobs';
import type { SourceState } from '../engine/tenantState';
import { companyFound, type IntuneCompany, type IntunePlan } from './changes';
import { INTUNE_GRAPH_NOT_CONFIGURED, INTUNE_SYNC_STORAGE } from './constants';
import { devicesNeedingDetails, placeholderFields } from './details';
import { checkEnrolledCount, type IntuneRequests, readDeviceDetails, readManagedDevices } from './graphDevices';
import { readDetectedApps } from './graphSoftware';
import { readCompanyAssets } from './haloInput';
import { planIntuneTenant } from './planTenant';
import { readSourceState } from './state';
import type { IntuneHaloSnapshot, ListHealth } from './types';

const INTUNE_WINDOW_MS = 20_000;

/**
 * The reader and the planner for one tenant: its Halo company (tenant sync's matching, or the connection's), its
 * managed devices from Graph (one paged list; per-device reads only for placeholder fields; detected apps from
 * the endpoint chosen), the company's assets from Halo (one paged read), the tenant's state from the last run,
 * then the pure planner.
 */
export async function planIntuneSource(deps: SyncDeps, run: RunContext, source: SourceState): Promise<IntunePlan> {
  if (!deps.graph) throw new Error(INTUNE_GRAPH_NOT_CONFIGURED);
  const config = deps.config.intuneSync;
  const graph = deps.graph.forTenant(source.tenantId);
  const requests = intuneRequests(graph, config);
  const halo = await getRunSnapshot<IntuneHaloSnapshot>(deps.reports, INTUNE_SYNC_STORAGE, run.runId);
  const { company, tenantName } = await companyOf(deps, graph, halo, source);
  const now = deps.now();
  const base = { tenantId: source.tenantId, tenantName, company, halo, config, now };
  const state = await readSourceState(deps.reports, source.tenantId);
  if (!companyFound(company)) {
    return planIntuneTenant({ ...base, devices: [], health: emptyHealth(), details: new Map(), assets: [], state });
  }
  const { devices, health } = await readManagedDevices(requests, listSelect(config));
  if (config.devices.checkEnrolledCount) await checkEnrolledCount(requests, health);
  const problems: string[] = [];
  const assets = await readCompanyAssets(deps.halo, company.clientId);
  for (const row of assets.unreadable) {
    problems.push(`Halo asset row ${row.id ?? `#${row.index}`} could not be read and was left out: ${row.reason}`);
  }
  const excluded = new Set(
    config.devices.excludeDefenderManaged
      ? devices.filter((d) => String(d.values.managementAgent ?? '').toLowerCase() === 'mssense').map((d) => d.id)
      : [],
  );
  const wanted = devices.filter((d) => !excluded.has(d.id));
  const details = await readDeviceDetails(
    requests,
    devicesNeedingDetails({
      devices: wanted,
      assets: assets.rows,
      mappings: config.fields,
      refreshDays: config.devices.detailRefreshDays,
      now,
    }),
    placeholderFields(config.fields),
  );
  let software: Awaited<ReturnType<typeof readDetectedApps>> | undefined;
  if (config.software.enabled && wanted.length > 0) {
    try {
      software = await readDetectedApps(
        requests,
        wanted.map((d) => d.id),
        config.software.endpoint,
      );
    } catch (error) {
      problems.push(
        `detected apps could not be read, so software is left as it is this run: ${(error as Error).message}`,
      );
      run.log.warn('intune sync: detected apps could not be read', { tenantId: source.tenantId, error });
    }
  }
  run.log.info('intune sync: tenant read', {
    tenantId: source.tenantId,
    devices: health.listed,
    assets: assets.rows.length,
    detailReads: details.size,
    graphRequests: requests.counts.wire,
    graphItems: requests.counts.items,
  });
  return planIntuneTenant({
    ...base,
    devices,
    health,
    details,
    ...(software
      ? {
          software: software.byDevice,
          softwareRead: { endpoint: software.endpoint, why: software.why, requests: software.requests },
        }
      : {}),
    assets: assets.rows,
    state,
    problems,
  });
}

/** The company: the connection's, or tenant sync's matching over the tenant's name and domains. */
async function companyOf(
  deps: SyncDeps,
  graph: TenantGraphClient,
  halo: IntuneHaloSnapshot,
  source: SourceState,
): Promise<{ company: IntuneCompany; tenantName: string }> {
  const { sources } = deps.config.intuneSync;
  if (sources.kind === 'connections') {
    const connection = sources.connections.find((c) => c.tenantId.toLowerCase() === source.tenantId.toLowerCase());
    const client = halo.clients.find((c) => c.id === connection?.clientId);
    if (!connection || !client) {
      return {
        tenantName: source.displayName,
        company: {
          unmatched: `the connection's Halo company ${connection?.clientId ?? '?'} does not exist`,
          instruction: 'Set intuneSync.sources.connections[].clientId to the id of an existing Halo company.',
        },
      };
    }
    return {
      tenantName: source.displayName,
      company: { clientId: client.id, clientName: client.name, by: 'connection', detail: 'the configured connection' },
    };
  }
  const organization = await graph.getOrganization();
  const domains = await graph.listDomains();
  const tenantName = organization.displayName || source.displayName;
  const tenant = tenantSnapshotFromGraph({ tenantId: source.tenantId, displayName: tenantName, domains, users: [] });
  return { tenantName, company: matchCompany(tenant, halo) };
}

/** What the list must `$select`: every field the planner, the type rules and the mappings read (no placeholders). */
export function listSelect(config: IntuneSyncConfig): IntuneDeviceField[] {
  const fields = new Set<IntuneDeviceField>([
    'id',
    'deviceName',
    'managedDeviceName',
    'serialNumber',
    'azureADDeviceId',
    'userId',
    'userPrincipalName',
    'emailAddress',
    'managementAgent',
    'lastSyncDateTime',
    'enrolledDateTime',
  ]);
  for (const mapping of config.fields) fields.add(mapping.from);
  const type = config.assetType;
  if (type?.from === 'field') fields.add(type.field);
  if (type?.from === 'rules') for (const rule of type.rules) for (const c of rule.when) fields.add(c.field);
  return [...fields].filter((f) => !LIST_PLACEHOLDER_FIELDS.includes(f));
}

export function intuneRequests(graph: TenantGraphClient, config: IntuneSyncConfig): IntuneRequests {
  const limiter = createRollingWindowLimiter(
    { requests: config.graph.requestsPer20Seconds, windowMs: INTUNE_WINDOW_MS },
    { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  );
  const counts = { items: 0, wire: 0 };
  return {
    graph,
    counts,
    async acquire(count) {
      for (let i = 0; i < count; i++) await limiter.acquire();
      counts.items += count;
    },
  };
}

function emptyHealth(): ListHealth {
  return {
    complete: false,
    problems: ['not read: the tenant has no Halo company'],
    listed: 0,
    presentIds: [],
    unreadable: [],
  };
}
