// Builders for the Intune planner's tests (not a test file itself).
import { parseIntegrationConfig } from '../../shared/config/integration';
import type { IntuneSyncConfig } from '../../shared/config/integration/intune';
import type {
  HaloAsset,
  IntuneDevice,
  IntuneHaloSnapshot,
  IntunePlan,
  IntunePlanInput,
  ListHealth,
} from '../../shared/sync/intune';
import { planIntuneTenant } from '../../shared/sync/intune';
import { emptyState } from '../../shared/sync/intune/types';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const NOW = new Date('2025-03-01T12:00:00Z');
export const CLIENT = 10;
export const SERIAL_FIELD = { id: 5, name: 'Serial Number' };
export const RAM_FIELD = { id: 6, name: 'Memory (GB)' };
export const COMPLIANCE_CF = { id: 40, name: 'CFIntuneCompliance' };
export const TYPES = { laptop: 1, phone: 3, fallback: 9 } as const;
export const STATUS = { active: 20, retired: 21, recovered: 22, inactive: 23 } as const;

/** An integration config's intuneSync section: the demo-like defaults, with `overrides` on top. */
export function intuneConfig(overrides: Record<string, unknown> = {}): IntuneSyncConfig {
  return parseIntegrationConfig({
    mailboxes: [],
    intuneSync: {
      enabled: true,
      mode: 'apply',
      assetType: { from: 'single', typeId: TYPES.laptop },
      fields: [
        { from: 'deviceName', to: { property: 'inventory_number' } },
        { from: 'model', to: { property: 'key_field' } },
        { from: 'serialNumber', to: { field: SERIAL_FIELD } },
      ],
      statuses: { newStatusId: STATUS.active, deletedStatusId: STATUS.retired, recoveredStatusId: STATUS.recovered },
      ...overrides,
    },
  }).intuneSync;
}

let nextDevice = 1;

export function device(values: IntuneDevice['values'] & { id?: string } = {}): IntuneDevice {
  const n = nextDevice++;
  const { id, ...rest } = values;
  return {
    id: id ?? `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`,
    values: {
      deviceName: `PC-${n}`,
      serialNumber: `SN-${n}`,
      model: 'Latitude 5440',
      operatingSystem: 'Windows',
      managementAgent: 'mdm',
      userPrincipalName: 'adele@contoso.com',
      userId: 'aaaaaaaa-0000-4000-8000-000000000001',
      lastSyncDateTime: '2025-03-01T08:00:00Z',
      ...rest,
    },
  };
}

export function asset(fields: Partial<HaloAsset> & { id: number }): HaloAsset {
  return {
    client_id: CLIENT,
    site_id: 100,
    assettype_id: TYPES.laptop,
    status_id: STATUS.active,
    inactive: false,
    intune_id: '',
    inventory_number: '',
    key_field: '',
    fields: [],
    customfields: [],
    users: [],
    ...fields,
  };
}

export function halo(overrides: Partial<IntuneHaloSnapshot> = {}): IntuneHaloSnapshot {
  return {
    clients: [
      { id: CLIENT, name: 'Contoso Ltd', website: null, inactive: false, main_site_id: 100, azure_tenants: [] },
      { id: 11, name: 'Fabrikam', website: null, inactive: false, main_site_id: 110, azure_tenants: [] },
    ],
    sites: [
      { id: 100, client_id: CLIENT, name: 'Main' },
      { id: 101, client_id: CLIENT, name: 'Branch' },
      { id: 110, client_id: 11, name: 'Main' },
    ],
    users: [
      {
        id: 501,
        client_id: CLIENT,
        site_id: 101,
        name: 'Adele Vance',
        emailaddress: 'adele@contoso.com',
        azureoid: 'aaaaaaaa-0000-4000-8000-000000000001',
        inactive: false,
        customfields: [],
      },
      {
        id: 502,
        client_id: CLIENT,
        site_id: 100,
        name: 'Alex Wilber',
        emailaddress: 'alex@contoso.com',
        azureoid: '',
        inactive: false,
        customfields: [],
      },
      {
        id: 601,
        client_id: 11,
        site_id: 110,
        name: 'Adele at Fabrikam',
        emailaddress: 'adele@contoso.com',
        azureoid: '',
        inactive: false,
        customfields: [],
      },
    ],
    assetTypes: [
      { id: TYPES.laptop, name: 'Laptop', assetgroup_id: 1 },
      { id: TYPES.phone, name: 'Mobile Phone', assetgroup_id: 2 },
      { id: TYPES.fallback, name: 'Other', assetgroup_id: 1 },
    ],
    licences: [],
    ...overrides,
  };
}

export function health(devices: readonly IntuneDevice[], overrides: Partial<ListHealth> = {}): ListHealth {
  return {
    complete: true,
    problems: [],
    listed: devices.length,
    presentIds: devices.map((d) => d.id.toLowerCase()),
    unreadable: [],
    ...overrides,
  };
}

/** Plans one tenant (Contoso, company 10) with sensible defaults for whatever the test leaves out. */
export function plan(input: Partial<IntunePlanInput> & { devices: IntuneDevice[] }): IntunePlan {
  return planIntuneTenant({
    tenantId: TENANT,
    tenantName: 'Contoso Ltd',
    company: { clientId: CLIENT, clientName: 'Contoso Ltd', by: 'tenantId', detail: 'linked' },
    health: health(input.devices),
    details: new Map(),
    assets: [],
    halo: halo(),
    state: emptyState(),
    config: intuneConfig(),
    now: NOW,
    ...input,
  });
}

export function assetChanges(p: IntunePlan) {
  return p.changes.filter((c) => c.resource === '/Asset') as Extract<
    IntunePlan['changes'][number],
    { resource: '/Asset' }
  >[];
}
