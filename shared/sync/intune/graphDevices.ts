import { INTUNE_DEVICE_FIELDS, type IntuneDeviceField } from '../../config/integration/intune';
import type { BatchRequest, GraphVersion, TenantGraphClient } from '../../graph';
import type { DeviceValue, IntuneDevice, ListHealth } from './types';

/**
 * Graph reads for the Intune sync, each counted against Intune's own limit (2,000 requests per 20 s per tenant and
 * app; every `$batch` item counts) through `IntuneRequests`, which waits before a request would exceed it.
 */
export interface IntuneRequests {
  readonly graph: TenantGraphClient;
  /** Waits until `count` more requests fit in Intune's window, and counts them. */
  acquire(count: number): Promise<void>;
  /** Requests sent so far (batch items counted one by one), and HTTP requests on the wire. */
  readonly counts: { items: number; wire: number };
}

const DEVICES_PATH = '/deviceManagement/managedDevices';
const PERMISSION = 'DeviceManagementManagedDevices.Read.All';

export interface DeviceListRead {
  devices: IntuneDevice[];
  health: ListHealth;
}

interface Page {
  value?: unknown;
  '@odata.nextLink'?: string;
}

/**
 * Every managed device of the tenant with `$select`, page by page (`@odata.nextLink`; no delta exists for
 * managed devices). Items are read one by one: one without an id makes the list incomplete; a property of an
 * unexpected shape is dropped, not fatal. A page that fails after the client's retries ends the read with the
 * devices so far and the list marked incomplete (the first page failing fails the read: nothing to go on).
 */
export async function readManagedDevices(
  requests: IntuneRequests,
  select: readonly IntuneDeviceField[],
): Promise<DeviceListRead> {
  const health: ListHealth = { complete: true, problems: [], listed: 0, presentIds: [], unreadable: [] };
  const devices: IntuneDevice[] = [];
  const context = { operation: 'listManagedDevices', permission: PERMISSION };
  let page = (await get(requests, DEVICES_PATH, { select, context })) as Page;
  for (let pageNo = 1; ; pageNo++) {
    const items = Array.isArray(page.value) ? page.value : [];
    for (const item of items) {
      health.listed++;
      const device = deviceOf(item);
      if ('reason' in device) {
        health.unreadable.push(device);
        if (device.id === undefined) continue;
        health.presentIds.push(device.id.toLowerCase());
        continue;
      }
      health.presentIds.push(device.id.toLowerCase());
      devices.push(device);
    }
    const next = page['@odata.nextLink'];
    if (!next) break;
    try {
      page = (await get(requests, next, { context })) as Page;
    } catch (error) {
      health.complete = false;
      health.problems.push(`page ${pageNo + 1} of the device list failed: ${(error as Error).message}`);
      break;
    }
  }
  const anonymous = health.unreadable.filter((u) => u.id === undefined).length;
  if (anonymous > 0) {
    health.complete = false;
    health.problems.push(`${anonymous} listed item(s) had no device id`);
  }
  return { devices, health };
}

/**
 * Intune's own count of enrolled devices (`managedDeviceOverview`): a list shorter than it is incomplete (an
 * unfiltered list may miss devices in large tenants: microsoft-graph-docs issue 21659).
 */
export async function checkEnrolledCount(requests: IntuneRequests, health: ListHealth): Promise<void> {
  try {
    const overview = (await get(requests, '/deviceManagement/managedDeviceOverview', {
      context: { operation: 'getManagedDeviceOverview', permission: PERMISSION },
    })) as { enrolledDeviceCount?: unknown };
    const enrolled = Number(overview.enrolledDeviceCount);
    if (!Number.isInteger(enrolled)) throw new Error('the overview has no enrolledDeviceCount');
    if (health.listed < enrolled) {
      health.complete = false;
      health.problems.push(`Intune counts ${enrolled} enrolled devices but the list returned ${health.listed}`);
    }
  } catch (error) {
    health.complete = false;
    health.problems.push(`the enrolled device count could not be read: ${(error as Error).message}`);
  }
}

/**
 * Placeholder properties (memory, Ethernet MAC, notes) read per device, in `$batch`es of 20: a list answers them
 * with 0 or null. A device whose read fails keeps Halo's values this run.
 */
export async function readDeviceDetails(
  requests: IntuneRequests,
  ids: readonly string[],
  fields: readonly IntuneDeviceField[],
): Promise<Map<string, Partial<Record<IntuneDeviceField, DeviceValue>>>> {
  const out = new Map<string, Partial<Record<IntuneDeviceField, DeviceValue>>>();
  if (ids.length === 0 || fields.length === 0) return out;
  const select = fields.join(',');
  const answers = await batchGet(
    requests,
    ids.map((id, index) => ({ id: String(index), url: `${DEVICES_PATH}/${encodeURIComponent(id)}?$select=${select}` })),
  );
  ids.forEach((id, index) => {
    const answer = answers.get(String(index));
    if (answer?.status !== 200) return;
    const device = deviceOf(answer.body);
    if ('values' in device) out.set(id.toLowerCase(), device.values);
  });
  return out;
}

/** GETs in `$batch`es of 20 (each item counted against Intune's limit); answers by request id. */
export async function batchGet(
  requests: IntuneRequests,
  items: readonly { id: string; url: string }[],
  version: GraphVersion = 'v1.0',
): Promise<Map<string, { status: number; body: unknown }>> {
  const out = new Map<string, { status: number; body: unknown }>();
  for (let i = 0; i < items.length; i += 20) {
    const part = items.slice(i, i + 20);
    await requests.acquire(part.length);
    requests.counts.wire++;
    const batch: BatchRequest[] = part.map((item) => ({ id: item.id, method: 'GET', url: item.url }));
    const answers = await requests.graph.batch(batch, { version });
    for (const [id, answer] of answers) out.set(id, { status: answer.status, body: answer.body });
  }
  return out;
}

/** One GET counted against Intune's limit. */
export async function get(
  requests: IntuneRequests,
  path: string,
  options: Parameters<TenantGraphClient['get']>[1] = {},
): Promise<unknown> {
  await requests.acquire(1);
  requests.counts.wire++;
  return requests.graph.get(path, options);
}

const KNOWN = new Set<string>(INTUNE_DEVICE_FIELDS);

/** A device from a Graph item: its id, and its scalar properties (others are dropped). */
export function deviceOf(item: unknown): IntuneDevice | { id?: string; reason: string } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { reason: 'not an object' };
  const record = item as Record<string, unknown>;
  const id = typeof record.id === 'string' && record.id.trim() !== '' ? record.id.trim() : undefined;
  if (id === undefined) return { reason: 'no id' };
  const values: Partial<Record<IntuneDeviceField, DeviceValue>> = {};
  for (const [name, value] of Object.entries(record)) {
    if (!KNOWN.has(name)) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      values[name as IntuneDeviceField] = value as DeviceValue;
    }
  }
  return { id, values };
}
