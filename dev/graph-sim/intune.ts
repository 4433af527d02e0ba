import { createHash } from 'node:crypto';
import type { SimContext } from './context';
import { badRequest, graphError, json, notFound, type Route, route, type SimRequest, type SimResponse } from './http';
import { pagedList } from './paging';
import type { Json, SimTenant } from './store';

/**
 * Intune as Graph serves it (MGDC `intune-devices-manageddevice*.md`, `intune-devices-detectedapp*.md`,
 * `throttling-intune-devices.md`):
 * - `managedDevice` with its documented v1.0 properties, whatever a seed gives (missing ones get Intune's
 *   defaults); `$select` of a property that does not exist is a 400, as on Graph;
 * - placeholders: `physicalMemoryInBytes` is 0 and `ethernetMacAddress`, `notes`, `udid`, `iccid`,
 *   `activationLockBypassCode` are null in lists; a single-device GET has the real value only when it `$select`s it;
 * - `managedDeviceOverview` with `enrolledDeviceCount` (devices hidden from the list still count: an unfiltered
 *   list may miss devices in large tenants, microsoft-graph-docs issue 21659);
 * - detected apps: v1.0 tenant-wide `detectedApps` and `detectedApps/{id}/managedDevices`; the per-device
 *   `managedDevices/{id}/detectedApps` only on beta (v1.0 answers that the segment does not exist);
 * - Intune's own limit: per tenant (this one app), requests beyond `throttle.requests` in `throttle.windowMs` get
 *   429 with Retry-After (every `$batch` item counts); 2,000 per 20 s by default, scaled down in tests.
 * A device seed may carry `detectedApps: [{displayName, version, publisher?}]` (not a Graph property: never served)
 * and `'@sim.raw': true` (served exactly as given, for unreadable-item tests).
 */

/** Every v1.0 managedDevice property, with the value Intune gives when it knows nothing. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  userId: null,
  deviceName: null,
  managedDeviceOwnerType: 'company',
  deviceActionResults: [],
  enrolledDateTime: '0001-01-01T00:00:00Z',
  lastSyncDateTime: '0001-01-01T00:00:00Z',
  operatingSystem: 'Unknown',
  complianceState: 'unknown',
  jailBroken: 'Unknown',
  managementAgent: 'mdm',
  osVersion: null,
  easActivated: false,
  easDeviceId: null,
  easActivationDateTime: '0001-01-01T00:00:00Z',
  azureADRegistered: true,
  deviceEnrollmentType: 'windowsAzureADJoin',
  activationLockBypassCode: null,
  emailAddress: null,
  azureADDeviceId: '00000000-0000-0000-0000-000000000000',
  deviceRegistrationState: 'registered',
  deviceCategoryDisplayName: 'Unknown',
  isSupervised: false,
  exchangeLastSuccessfulSyncDateTime: '0001-01-01T00:00:00Z',
  exchangeAccessState: 'none',
  exchangeAccessStateReason: 'none',
  remoteAssistanceSessionUrl: null,
  remoteAssistanceSessionErrorDetails: null,
  isEncrypted: false,
  userPrincipalName: null,
  model: null,
  manufacturer: null,
  imei: null,
  complianceGracePeriodExpirationDateTime: '9999-12-31T23:59:59Z',
  serialNumber: null,
  phoneNumber: null,
  androidSecurityPatchLevel: null,
  userDisplayName: null,
  configurationManagerClientEnabledFeatures: null,
  wiFiMacAddress: null,
  deviceHealthAttestationState: null,
  subscriberCarrier: null,
  meid: null,
  totalStorageSpaceInBytes: 0,
  freeStorageSpaceInBytes: 0,
  managedDeviceName: null,
  partnerReportedThreatState: 'unknown',
  requireUserEnrollmentApproval: null,
  managementCertificateExpirationDate: '0001-01-01T00:00:00Z',
  iccid: null,
  udid: null,
  notes: null,
  ethernetMacAddress: null,
  physicalMemoryInBytes: 0,
  enrollmentProfileName: null,
};

/** Properties a list answers with a placeholder; their real value needs a single GET that `$select`s them. */
const LIST_PLACEHOLDERS: Readonly<Record<string, unknown>> = {
  physicalMemoryInBytes: 0,
  ethernetMacAddress: null,
  notes: null,
  udid: null,
  iccid: null,
  activationLockBypassCode: null,
};

const SIM_ONLY = ['detectedApps', '@sim.raw'];
const KNOWN = new Set(['id', ...Object.keys(DEFAULTS)]);

export interface IntuneThrottle {
  requests: number;
  windowMs: number;
}

/** What tests and the bench change at run time. */
export interface IntuneSimControl {
  throttle: IntuneThrottle;
  /** Page size of the managed device list (Graph's is 1,000). */
  listPageSize: number;
  /** Device ids (lower case) an unfiltered list leaves out, though Intune counts them as enrolled. */
  hiddenFromList: Set<string>;
  /** 429s answered so far, per tenant. */
  readonly throttled: Map<string, number>;
  devices(tenantId: string): Json[];
  /** Adds or changes a device (by id); detected apps and `'@sim.raw'` as in a seed. */
  upsertDevice(tenantId: string, device: Json): void;
  removeDevice(tenantId: string, deviceId: string): boolean;
  routes(): Route[];
}

export function createIntuneSim(ctx: SimContext, options: { throttle?: IntuneThrottle } = {}): IntuneSimControl {
  const windows = new Map<string, number[]>();
  const throttled = new Map<string, number>();
  const appCache = new WeakMap<Json[], { version: number; index: AppIndex }>();
  let version = 0;

  const control: IntuneSimControl = {
    throttle: options.throttle ?? { requests: 2000, windowMs: 20_000 },
    listPageSize: 1000,
    hiddenFromList: new Set(),
    throttled,
    devices: (tenantId) => ctx.tenantOf(tenantId).managedDevices,
    upsertDevice(tenantId, device) {
      const list = ctx.tenantOf(tenantId).managedDevices;
      const index = list.findIndex((d) => String(d.id).toLowerCase() === String(device.id).toLowerCase());
      if (index >= 0) list[index] = { ...list[index], ...device };
      else list.push({ ...device });
      version++;
    },
    removeDevice(tenantId, deviceId) {
      const list = ctx.tenantOf(tenantId).managedDevices;
      const index = list.findIndex((d) => String(d.id).toLowerCase() === deviceId.toLowerCase());
      if (index < 0) return false;
      list.splice(index, 1);
      version++;
      return true;
    },
    routes: () => routes,
  };

  /** Intune's limit: a rolling window per tenant; beyond it, 429 with the seconds until a slot frees. */
  const limited = (handle: (request: SimRequest, params: Record<string, string>) => SimResponse): Route['handle'] => {
    return (request, params) => {
      const now = ctx.now();
      const log = windows.get(request.tenantId) ?? [];
      while (log.length > 0 && log[0]! <= now - control.throttle.windowMs) log.shift();
      if (log.length >= control.throttle.requests) {
        throttled.set(request.tenantId, (throttled.get(request.tenantId) ?? 0) + 1);
        const seconds = Math.max(1, Math.ceil((log[0]! + control.throttle.windowMs - now) / 1000));
        return graphError(429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(seconds) });
      }
      log.push(now);
      windows.set(request.tenantId, log);
      return handle(request, params);
    };
  };

  const tenantOf = (request: SimRequest) => ctx.tenantOf(request.tenantId);
  const findDevice = (tenant: SimTenant, id: string) =>
    tenant.managedDevices.find((d) => String(d.id).toLowerCase() === id.toLowerCase());

  const apps = (tenant: SimTenant): AppIndex => {
    const cached = appCache.get(tenant.managedDevices);
    if (cached && cached.version === version) return cached.index;
    const index = indexApps(tenant.managedDevices);
    appCache.set(tenant.managedDevices, { version, index });
    return index;
  };

  const listOf = (
    request: SimRequest,
    items: Json[],
    shape: (item: Json, query: URLSearchParams) => Json,
    pageSize = 1000,
  ) => {
    const problem = unknownSelect(request.query.get('$select'));
    if (problem) return problem;
    return pagedList(ctx.baseUrl(), request, items, { defaultTop: pageSize, maxTop: 1000, shape });
  };

  const routes: Route[] = [
    route(
      'GET',
      '/deviceManagement/managedDevices',
      'managedDevices.list',
      limited((request) => {
        const tenant = tenantOf(request);
        const listed = tenant.managedDevices.filter((d) => !control.hiddenFromList.has(String(d.id).toLowerCase()));
        return listOf(request, listed, (item, query) => served(item, query, 'list'), control.listPageSize);
      }),
    ),
    route(
      'GET',
      '/deviceManagement/managedDevices/:id',
      'managedDevices.get',
      limited((request, params) => {
        const problem = unknownSelect(request.query.get('$select'));
        if (problem) return problem;
        const device = findDevice(tenantOf(request), params.id!);
        return device ? json(200, served(device, request.query, 'single')) : notFound(params.id!);
      }),
    ),
    route(
      'GET',
      '/deviceManagement/managedDevices/:id/detectedApps',
      'managedDevices.detectedApps.v1',
      limited(() => badRequest("Resource not found for the segment 'detectedApps'.")),
    ),
    route(
      'GET',
      '/beta/deviceManagement/managedDevices/:id/detectedApps',
      'managedDevices.detectedApps.beta',
      limited((request, params) => {
        const tenant = tenantOf(request);
        const device = findDevice(tenant, params.id!);
        if (!device) return notFound(params.id!);
        const index = apps(tenant);
        const own = (index.byDevice.get(String(device.id).toLowerCase()) ?? []).map((id) => index.apps.get(id)!);
        return pagedList(ctx.baseUrl(), request, own, { defaultTop: 100, maxTop: 1000, shape: selectApp });
      }),
    ),
    route(
      'GET',
      '/deviceManagement/managedDeviceOverview',
      'managedDeviceOverview.get',
      limited((request) => json(200, overview(tenantOf(request)))),
    ),
    route(
      'GET',
      '/deviceManagement/detectedApps',
      'detectedApps.list',
      limited((request) => {
        const index = apps(tenantOf(request));
        return pagedList(ctx.baseUrl(), request, [...index.apps.values()], {
          defaultTop: 100,
          maxTop: 1000,
          shape: selectApp,
        });
      }),
    ),
    route(
      'GET',
      '/deviceManagement/detectedApps/:id/managedDevices',
      'detectedApps.managedDevices',
      limited((request, params) => {
        const tenant = tenantOf(request);
        const index = apps(tenant);
        if (!index.apps.has(params.id!)) return notFound(params.id!);
        const devices = tenant.managedDevices.filter((d) =>
          (index.byDevice.get(String(d.id).toLowerCase()) ?? []).includes(params.id!),
        );
        return listOf(request, devices, (item, query) => served(item, query, 'list'));
      }),
    ),
  ];
  return control;
}

/** A device as Graph serves it: every documented property, list placeholders, `$select` applied. */
function served(seed: Json, query: URLSearchParams, how: 'list' | 'single'): Json {
  if (seed['@sim.raw'] === true) {
    const { '@sim.raw': _raw, ...rest } = seed;
    return rest as Json;
  }
  const full: Json = { id: seed.id, ...DEFAULTS };
  for (const [key, value] of Object.entries(seed)) if (!SIM_ONLY.includes(key)) full[key] = value;
  const selected = (query.get('$select') ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const [key, placeholder] of Object.entries(LIST_PLACEHOLDERS)) {
    if (how === 'list' || !selected.includes(key)) full[key] = placeholder;
  }
  if (selected.length === 0) return full;
  const out: Json = { id: full.id };
  for (const field of selected) out[field] = full[field];
  return out;
}

function unknownSelect(select: string | null): SimResponse | undefined {
  for (const field of (select ?? '').split(',').map((f) => f.trim())) {
    if (field && !KNOWN.has(field)) {
      return badRequest(`Could not find a property named '${field}' on type 'microsoft.graph.managedDevice'.`);
    }
  }
  return undefined;
}

function overview(tenant: SimTenant): Json {
  const devices = tenant.managedDevices;
  const count = (os: string) => devices.filter((d) => String(d.operatingSystem ?? '').toLowerCase() === os).length;
  return {
    '@odata.type': '#microsoft.graph.managedDeviceOverview',
    id: `${tenant.id}`,
    enrolledDeviceCount: devices.length,
    mdmEnrolledCount: devices.filter((d) => (d.managementAgent ?? 'mdm') === 'mdm').length,
    dualEnrolledDeviceCount: 0,
    deviceOperatingSystemSummary: {
      androidCount: count('android'),
      iosCount: count('ios'),
      macOSCount: count('macos'),
      windowsMobileCount: 0,
      windowsCount: count('windows'),
      unknownCount: 0,
    },
  };
}

interface AppIndex {
  apps: Map<string, Json>;
  byDevice: Map<string, string[]>;
}

/** The tenant's detected apps (one per name and version, as Intune lists them) and which device has which. */
function indexApps(devices: readonly Json[]): AppIndex {
  const apps = new Map<string, Json>();
  const counts = new Map<string, number>();
  const byDevice = new Map<string, string[]>();
  for (const device of devices) {
    const list = Array.isArray(device.detectedApps) ? (device.detectedApps as Json[]) : [];
    const ids: string[] = [];
    for (const app of list) {
      const name = String(app.displayName ?? '');
      const version = String(app.version ?? '');
      const id = createHash('sha256').update(`${name}\u0000${version}`).digest('hex').slice(0, 44);
      if (!apps.has(id)) {
        apps.set(id, {
          id,
          displayName: name,
          version,
          sizeInByte: 0,
          deviceCount: 0,
          publisher: app.publisher ?? null,
          platform: String(device.operatingSystem ?? '').toLowerCase() === 'ios' ? 'ios' : 'windows',
        });
      }
      if (!ids.includes(id)) ids.push(id);
    }
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    byDevice.set(String(device.id).toLowerCase(), ids);
  }
  for (const [id, count] of counts) apps.get(id)!.deviceCount = count;
  return { apps, byDevice };
}

function selectApp(app: Json, query: URLSearchParams): Json {
  const fields = (query.get('$select') ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length === 0) return app;
  const out: Json = { id: app.id };
  for (const field of fields) if (field in app) out[field] = app[field];
  return out;
}
