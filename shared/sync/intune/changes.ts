import type { CompanyMatchResult } from '../contacts/matchCompany';
import type { DeletionGuard } from './statuses';
import type { AssetWrite } from './types';

/** Which device a change is about, for people reading the report. */
export interface DeviceRef {
  id: string;
  name: string;
  serialNumber?: string;
  user?: string;
}

export interface CreateAssetTypeChange {
  kind: 'createAssetType';
  resource: '/AssetType';
  name: string;
  body: { name: string; assetgroup_id: number };
  reason: string;
}

export interface CreateLicenceChange {
  kind: 'createLicence';
  resource: '/SoftwareLicence';
  name: string;
  body: { name: string; client_id: number };
  reason: string;
}

/** Names resolved to ids just before an asset batch is sent (types and licences this run creates). */
export interface AssetRefs {
  /** The asset type to look up by name (created by this run). */
  typeName?: string;
  /** Software names (keys) whose licence this run creates. */
  licences?: string[];
}

export type AssetChangeKind = 'createAsset' | 'updateAsset' | 'retireAsset' | 'recoverAsset' | 'inactivateAsset';

export interface AssetChange {
  kind: AssetChangeKind;
  resource: '/Asset';
  /** Undefined for an asset whose device is gone (retireAsset). */
  device?: DeviceRef;
  assetId?: number;
  body: AssetWrite;
  refs?: AssetRefs;
  reason: string;
  /** What changes, one line each (`key_field: "A" → "B"`, `status → 14`, `software: 41 apps`). */
  details: string[];
}

export type IntuneChange = CreateAssetTypeChange | CreateLicenceChange | AssetChange;
export type IntuneChangeKind = IntuneChange['kind'];

export const INTUNE_CHANGE_KINDS: readonly IntuneChangeKind[] = [
  'createAssetType',
  'createLicence',
  'createAsset',
  'updateAsset',
  'recoverAsset',
  'inactivateAsset',
  'retireAsset',
];

/** A device that was left alone, and why (so "why is X not in Halo?" has an answer). */
export interface SkippedDevice {
  device: DeviceRef;
  reason: string;
  /** `excluded` (by configuration), `tie` / `duplicate` (matching), `unreadable`, or `problem`. */
  category: 'excluded' | 'tie' | 'duplicate' | 'unreadable' | 'problem';
}

/** What afterSource commits once the plan is applied. */
export interface StateUpdate {
  /** The new baseline (undefined: keep the old one, e.g. the guard blocked or the list was partial). */
  baselineDeviceCount?: number;
  /** Software hashes written, per device id (lower case). */
  software: Record<string, string>;
  /** User ids written, per device id, when Halo's rows do not carry users. */
  users: Record<string, string>;
  /** Devices whose state entries are dropped (their assets were retired). */
  forget: string[];
}

/** A configured connection's company (one organisation): no matching, the company is named. */
export interface ConnectionCompany {
  clientId: number;
  clientName: string;
  by: 'connection';
  detail: string;
}

/** The Halo company a tenant's devices belong to, or why there is none. */
export type IntuneCompany = CompanyMatchResult | ConnectionCompany;

export function companyFound(company: IntuneCompany): company is Extract<IntuneCompany, { clientId: number }> {
  return 'clientId' in company;
}

export interface IntunePlan {
  tenantId: string;
  tenantName: string;
  /** The Halo company the tenant's devices belong to (tenant sync's matching, or the configured connection). */
  company: IntuneCompany;
  devices: { listed: number; planned: number; excludedDefender: number; skipped: number };
  listHealth: { complete: boolean; problems: string[] };
  deletion: DeletionGuard;
  /** How detected apps were read, and what it cost (Graph requests). */
  software?: { endpoint: 'v1.0' | 'beta'; why: string; requests: number };
  changes: IntuneChange[];
  skipped: SkippedDevice[];
  /** What a person should know that is not about one device (unreadable Halo rows, a software read that failed). */
  problems: string[];
  state: StateUpdate;
}
