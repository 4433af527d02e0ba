// The Intune benchmark's world: customer tenants with managed devices (and their detected apps) on the Graph side,
// the matching companies, users, types, statuses, licences and some already known assets on the Halo side.

import { syntheticGuid } from '../dev/graph-sim';
import type { HaloSeed, Rec } from '../dev/halo-sim';
import { mulberry32 } from '../shared/runtime/random';
import { demoHaloSetup, partnerGraphSeed } from './support/seeds';

export const FLEET_STATUS = { inUse: 31, removed: 32, back: 33, stale: 34 } as const;
export const FLEET_FIELDS = { serial: 1, memory: 2 } as const;
export const FLEET_TYPES = { laptop: 1, phone: 3, tablet: 4 } as const;

const MODELS = [
  { os: 'Windows', model: 'Latitude 5440', maker: 'Dell Inc.', memory: 16 },
  { os: 'Windows', model: 'ThinkPad T14 Gen 4', maker: 'LENOVO', memory: 32 },
  { os: 'Windows', model: 'Surface Laptop 5', maker: 'Microsoft Corporation', memory: 16 },
  { os: 'macOS', model: 'MacBook Air (M2, 2022)', maker: 'Apple', memory: 8 },
  { os: 'iOS', model: 'iPhone 15', maker: 'Apple', memory: 6 },
  { os: 'Android', model: 'Galaxy S23', maker: 'samsung', memory: 8 },
  { os: 'iPadOS', model: 'iPad Air (5th generation)', maker: 'Apple', memory: 8 },
] as const;

/** Apps as Intune detects them: a name with a few versions in use at once; desktop and mobile catalogues. */
const DESKTOP_APPS = [
  'Microsoft 365 Apps for enterprise',
  'Google Chrome',
  'Mozilla Firefox',
  'Microsoft Edge',
  'Zoom Workplace',
  'Microsoft Teams',
  'Adobe Acrobat Reader',
  '7-Zip',
  'Notepad++',
  'VLC media player',
  'Slack',
  'Webex',
  'Cisco Secure Client',
  'FortiClient VPN',
  'TeamViewer',
  'Dell Command | Update',
  'Lenovo Vantage',
  'Microsoft OneDrive',
  'Python 3.12',
  'Visual Studio Code',
  'Git',
  'Node.js',
  'Power BI Desktop',
  'Snagit',
  'Greenshot',
  'KeePass',
  'Sophos Endpoint Agent',
  'CrowdStrike Falcon',
  'Microsoft Visual C++ 2015-2022 Redistributable',
  'Java 8 Update 401',
  'Citrix Workspace',
  'AnyDesk',
  'Dropbox',
  'Box Drive',
  'Spotify',
  'WinRAR',
  'Paint.NET',
  'GIMP',
  'Audacity',
  'LibreOffice',
  'PDF24 Creator',
  'Sage 50',
  'Xero Practice Manager',
  'QuickBooks',
];
const MOBILE_APPS = [
  'Microsoft Outlook',
  'Microsoft Teams',
  'Microsoft Authenticator',
  'Company Portal',
  'Microsoft Word',
  'Microsoft Excel',
  'OneDrive',
  'Zoom',
  'Slack',
  'WhatsApp',
  'Google Maps',
  'Webex',
];

export interface Fleet {
  graph: object;
  halo: HaloSeed;
  tenantIds: string[];
  devices: number;
}

/**
 * `tenants` customer tenants with `devicesPerTenant` devices each, linked to their Halo company by tenant id. A
 * fifth of the devices are already in Halo under their serial number (matched and linked on the first run); each
 * company has 300 users (most devices' users among them) and the common apps are Halo software licences.
 */
export function generateFleet(options: { tenants: number; devicesPerTenant: number; seed?: number }): Fleet {
  const rng = mulberry32(options.seed ?? 12);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  const tenants: ({ id: string } & Record<string, unknown>)[] = [];
  const tenantIds: string[] = [];
  const clients: Rec[] = [];
  const sites: Rec[] = [];
  const users: Rec[] = [];
  const assets: Rec[] = [];
  let userId = 10_000;
  let assetId = 100_000;
  for (let t = 0; t < options.tenants; t++) {
    const tenantId = syntheticGuid(0xf1ee7, t + 1);
    const tag = String(t + 1).padStart(2, '0');
    const domain = `fleet${tag}.example`;
    const clientId = 2000 + t;
    const siteId = 3000 + t;
    tenantIds.push(tenantId);
    clients.push({
      id: clientId,
      name: `Fleet Customer ${tag}`,
      inactive: false,
      website: `https://${domain}/`,
      azure_tenants: [{ id: 50_000 + t, azure_tenant_id: tenantId, azure_tenant_name: `Fleet ${tag}` }],
    });
    sites.push({ id: siteId, name: 'Main', client_id: clientId, inactive: false, isinvoicesite: true });
    for (let u = 0; u < 300; u++) {
      users.push({
        id: userId++,
        name: `User ${u} of ${tag}`,
        emailaddress: `user${u}@${domain}`,
        site_id: siteId,
        inactive: false,
      });
    }
    const devices = Array.from({ length: options.devicesPerTenant }, (_, d) => {
      const model = pick(MODELS);
      const desktop = model.os === 'Windows' || model.os === 'macOS';
      const serial = `${tag}${model.maker.slice(0, 2).toUpperCase()}${String(d).padStart(6, '0')}`;
      const apps = new Map<string, { displayName: string; version: string }>();
      const count = desktop ? 20 + Math.floor(rng() * 25) : 6 + Math.floor(rng() * 6);
      for (let a = 0; a < count; a++) {
        const name = pick(desktop ? DESKTOP_APPS : MOBILE_APPS);
        apps.set(name, { displayName: name, version: `${1 + Math.floor(rng() * 3)}.${Math.floor(rng() * 2)}` });
      }
      const device = {
        id: syntheticGuid(0xde, t + 1, d + 1),
        deviceName: `${tag}-${desktop ? 'PC' : 'MOB'}-${String(d).padStart(4, '0')}`,
        serialNumber: serial,
        operatingSystem: model.os,
        osVersion: desktop ? '10.0.22631.4460' : '17.5',
        model: model.model,
        manufacturer: model.maker,
        userPrincipalName: `user${Math.floor(rng() * 330)}@${domain}`,
        complianceState: rng() < 0.9 ? 'compliant' : 'noncompliant',
        managementAgent: rng() < 0.02 ? 'msSense' : 'mdm',
        managedDeviceOwnerType: 'company',
        lastSyncDateTime: new Date(Date.now() - Math.floor(rng() * 5 * 86_400_000)).toISOString(),
        enrolledDateTime: '2024-02-01T08:00:00Z',
        physicalMemoryInBytes: model.memory * 1024 ** 3,
        totalStorageSpaceInBytes: 256_000_000_000,
        detectedApps: [...apps.values()],
      };
      if (d % 5 === 0 && device.managementAgent === 'mdm') {
        assets.push({
          id: assetId++,
          inventory_number: `OLD-${tag}-${d}`,
          key_field: model.model,
          client_id: clientId,
          site_id: siteId,
          assettype_id: desktop ? FLEET_TYPES.laptop : FLEET_TYPES.phone,
          status_id: FLEET_STATUS.inUse,
          inactive: false,
          intune_id: '',
          fields: [{ id: FLEET_FIELDS.serial, value: serial }],
        });
      }
      return device;
    });
    tenants.push({
      id: tenantId,
      displayName: `Fleet ${tag}`,
      domains: [{ id: domain, isDefault: true, isVerified: true }],
      managedDevices: devices,
    });
  }
  const halo: HaloSeed = {
    ...demoHaloSetup(),
    clients,
    sites,
    users,
    assets,
    assetGroups: [
      { id: 1, name: 'Computers' },
      { id: 2, name: 'Mobile devices' },
    ],
    assetTypes: [
      { id: FLEET_TYPES.laptop, name: 'Laptop', assetgroup_id: 1 },
      { id: FLEET_TYPES.phone, name: 'Mobile Phone', assetgroup_id: 2 },
      { id: FLEET_TYPES.tablet, name: 'Tablet', assetgroup_id: 2 },
    ],
    assetFields: [
      { id: FLEET_FIELDS.serial, name: 'Serial Number' },
      { id: FLEET_FIELDS.memory, name: 'Memory (GB)' },
    ],
    assetStatuses: [
      { id: FLEET_STATUS.inUse, name: 'In Use' },
      { id: FLEET_STATUS.removed, name: 'Removed from Intune' },
      { id: FLEET_STATUS.back, name: 'Back in Intune' },
      { id: FLEET_STATUS.stale, name: 'Not seen for 30 days' },
    ],
    softwareLicences: DESKTOP_APPS.slice(0, 15).map((name, i) => ({ id: 1 + i, name, client_id: 0, is_active: true })),
  };
  const graph = partnerGraphSeed(tenants);
  return { graph, halo, tenantIds, devices: options.tenants * options.devicesPerTenant };
}

/** The Intune configuration the benchmark runs with (the demo's, for the fleet's ids). */
export function fleetConfig(endpoint: 'auto' | 'v1.0' | 'beta') {
  return {
    enabled: true,
    mode: 'apply',
    sources: { kind: 'customerTenants' },
    assetType: {
      from: 'rules',
      rules: [
        { when: [{ field: 'operatingSystem', op: 'equals', value: 'iPadOS' }], typeId: FLEET_TYPES.tablet },
        { when: [{ field: 'operatingSystem', op: 'matches', value: '^(iOS|Android)$' }], typeId: FLEET_TYPES.phone },
      ],
      defaultTypeId: FLEET_TYPES.laptop,
    },
    fields: [
      { from: 'deviceName', to: { property: 'inventory_number' } },
      { from: 'model', to: { property: 'key_field' } },
      { from: 'osVersion', to: { property: 'key_field2' } },
      { from: 'serialNumber', to: { field: { id: FLEET_FIELDS.serial } } },
      { from: 'physicalMemoryInBytes', to: { field: { id: FLEET_FIELDS.memory } }, format: 'gigabytes' },
      { from: 'complianceState', to: { customField: { id: 150 } } },
    ],
    software: { enabled: true, endpoint },
    statuses: {
      newStatusId: FLEET_STATUS.inUse,
      deletedStatusId: FLEET_STATUS.removed,
      recoveredStatusId: FLEET_STATUS.back,
    },
  };
}
