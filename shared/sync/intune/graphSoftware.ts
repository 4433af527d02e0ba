import type { IntuneSyncConfig } from '../../config/integration/intune';
import type { GraphVersion } from '../../graph';
import { batchGet, get, type IntuneRequests } from './graphDevices';
import type { DetectedApp } from './types';

const PERMISSION = 'DeviceManagementManagedDevices.Read.All';

export interface SoftwareRead {
  /** Detected apps by lower-case device id (every asked device has an entry, `[]` for none). */
  byDevice: Map<string, DetectedApp[]>;
  endpoint: 'v1.0' | 'beta';
  why: string;
  /** Graph requests on the wire for software (list pages, batches, follow-up pages). */
  requests: number;
}

interface TenantApp {
  id: string;
  app: DetectedApp;
  deviceCount: number | undefined;
}

/**
 * Detected apps of the given devices, from the endpoint configured:
 * - `v1.0`: the tenant's `detectedApps` (paged), then each app's `managedDevices` (`$batch`ed): one item per app;
 * - `beta`: each device's `detectedApps` (`$batch`ed on beta): one item per device (the relationship exists only
 *   in beta, which Microsoft does not support in production);
 * - `auto`: lists the tenant's apps first, then takes whichever needs fewer items (apps in use vs devices).
 * All or nothing: a read that fails leaves software out of this run (so no asset loses software it has).
 */
export async function readDetectedApps(
  requests: IntuneRequests,
  deviceIds: readonly string[],
  endpoint: IntuneSyncConfig['software']['endpoint'],
): Promise<SoftwareRead> {
  const before = requests.counts.wire;
  const spent = () => requests.counts.wire - before;
  if (endpoint === 'beta') {
    const byDevice = await perDevice(requests, deviceIds);
    return { byDevice, endpoint: 'beta', why: 'configured (software.endpoint beta)', requests: spent() };
  }
  const apps = await tenantApps(requests);
  const inUse = apps.filter((a) => a.deviceCount === undefined || a.deviceCount > 0);
  if (endpoint === 'auto' && inUse.length > deviceIds.length) {
    const byDevice = await perDevice(requests, deviceIds);
    const why = `auto: ${inUse.length} apps in use > ${deviceIds.length} devices, so per device (beta)`;
    return { byDevice, endpoint: 'beta', why, requests: spent() };
  }
  const byDevice = await perApp(requests, inUse, deviceIds);
  const why =
    endpoint === 'auto'
      ? `auto: ${inUse.length} apps in use ≤ ${deviceIds.length} devices, so per app (v1.0)`
      : 'configured (software.endpoint v1.0)';
  return { byDevice, endpoint: 'v1.0', why, requests: spent() };
}

async function tenantApps(requests: IntuneRequests): Promise<TenantApp[]> {
  const values = await allPages(requests, '/deviceManagement/detectedApps', {
    select: ['id', 'displayName', 'version', 'deviceCount', 'publisher'],
    context: { operation: 'listDetectedApps', permission: PERMISSION },
  });
  const out: TenantApp[] = [];
  for (const value of values) {
    const app = appOf(value);
    if (!app) continue;
    const count = Number((value as { deviceCount?: unknown }).deviceCount);
    out.push({
      id: String((value as { id: unknown }).id),
      app,
      deviceCount: Number.isFinite(count) ? count : undefined,
    });
  }
  return out;
}

async function perApp(
  requests: IntuneRequests,
  apps: readonly TenantApp[],
  deviceIds: readonly string[],
): Promise<Map<string, DetectedApp[]>> {
  const byDevice = new Map(deviceIds.map((id) => [id.toLowerCase(), [] as DetectedApp[]]));
  const answers = await batchGet(
    requests,
    apps.map((a, index) => ({
      id: String(index),
      url: `/deviceManagement/detectedApps/${encodeURIComponent(a.id)}/managedDevices?$select=id`,
    })),
  );
  for (const [index, app] of apps.entries()) {
    const devices = await itemValues(requests, answers.get(String(index)), `managedDevices of app ${app.id}`, 'v1.0');
    for (const device of devices) {
      const id = String((device as { id?: unknown }).id ?? '').toLowerCase();
      byDevice.get(id)?.push(app.app);
    }
  }
  return byDevice;
}

async function perDevice(requests: IntuneRequests, deviceIds: readonly string[]): Promise<Map<string, DetectedApp[]>> {
  const answers = await batchGet(
    requests,
    deviceIds.map((id, index) => ({
      id: String(index),
      url: `/deviceManagement/managedDevices/${encodeURIComponent(id)}/detectedApps?$select=id,displayName,version,publisher`,
    })),
    'beta',
  );
  const byDevice = new Map<string, DetectedApp[]>();
  for (const [index, id] of deviceIds.entries()) {
    const values = await itemValues(requests, answers.get(String(index)), `detectedApps of device ${id}`, 'beta');
    byDevice.set(
      id.toLowerCase(),
      values.map(appOf).filter((a): a is DetectedApp => a !== undefined),
    );
  }
  return byDevice;
}

/** The values of one `$batch` answer, following its nextLinks; a failed answer fails the whole read. */
async function itemValues(
  requests: IntuneRequests,
  answer: { status: number; body: unknown } | undefined,
  what: string,
  version: GraphVersion,
): Promise<unknown[]> {
  if (answer?.status !== 200) {
    const message = (answer?.body as { error?: { message?: string } } | undefined)?.error?.message;
    throw new Error(`${what}: ${answer ? `status ${answer.status}${message ? ` (${message})` : ''}` : 'no answer'}`);
  }
  const page = answer.body as { value?: unknown; '@odata.nextLink'?: string };
  const values = Array.isArray(page.value) ? [...page.value] : [];
  if (page['@odata.nextLink']) values.push(...(await allPages(requests, page['@odata.nextLink'], { version })));
  return values;
}

async function allPages(
  requests: IntuneRequests,
  path: string,
  options: Parameters<typeof get>[2],
): Promise<unknown[]> {
  const values: unknown[] = [];
  let page = (await get(requests, path, options)) as { value?: unknown; '@odata.nextLink'?: string };
  for (;;) {
    if (Array.isArray(page.value)) values.push(...page.value);
    const next = page['@odata.nextLink'];
    if (!next) return values;
    page = (await get(requests, next, { context: options?.context })) as typeof page;
  }
}

function appOf(value: unknown): DetectedApp | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const name = typeof record.displayName === 'string' ? record.displayName.trim() : '';
  if (name === '') return undefined;
  const version = typeof record.version === 'string' ? record.version.trim() : '';
  const publisher = typeof record.publisher === 'string' ? record.publisher.trim() : '';
  return { name, version, ...(publisher ? { publisher } : {}) };
}
