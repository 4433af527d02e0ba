/**
 * The plain data the Intune planner works on: devices as read from Graph, assets as read from Halo, and what the
 * previous run committed. A field that is `undefined` was not read and is never compared.
 */
import type { IntuneDeviceField } from '../../config/integration/intune';
import type { HaloClient, HaloSite, HaloUser } from '../contacts/types';

export type DeviceValue = string | number | boolean | null;

export interface IntuneDevice {
  /** Intune's device id (`managedDevice.id`), as Graph sent it. */
  id: string;
  values: Partial<Record<IntuneDeviceField, DeviceValue>>;
}

/** An app Intune detected on a device (`detectedApp.displayName` / `version`). */
export interface DetectedApp {
  name: string;
  version: string;
  publisher?: string;
}

/** How far the device list can be trusted: only a complete list may mark assets deleted. */
export interface ListHealth {
  complete: boolean;
  /** Why the list is not complete (a page failed, unreadable items without an id, a count mismatch). */
  problems: string[];
  /** Devices listed (readable or not, excluded or not). */
  listed: number;
  /** Ids (lower case) of every listed device, readable or not: none of them is absent. */
  presentIds: string[];
  /** Items that could not be read, with the reason (ids where they had one). */
  unreadable: { id?: string; reason: string }[];
}

export interface HaloAssetField {
  id: number;
  name?: string;
  value: string;
}

/** A Halo asset as the paged list answers it (`includeassetfields`, `includeuser`). */
export interface HaloAsset {
  id: number;
  client_id: number;
  site_id?: number;
  assettype_id?: number;
  assettype_name?: string;
  status_id?: number;
  inactive: boolean;
  intune_id: string;
  inventory_number?: string;
  key_field?: string;
  key_field2?: string;
  key_field3?: string;
  /** Every asset field with its value; undefined when the list did not include them. */
  fields?: HaloAssetField[];
  customfields?: HaloAssetField[];
  /** Linked user ids; undefined when the list rows do not carry users. */
  users?: number[];
}

export interface HaloAssetType {
  id: number;
  name: string;
  assetgroup_id?: number;
}

export interface HaloLicence {
  id: number;
  name: string;
  /** 0 / undefined: not tied to a company. */
  client_id?: number;
}

export interface HaloStatus {
  id: number;
  name: string;
}

/** What one run reads from Halo once, for every tenant (stored with the run). */
export interface IntuneHaloSnapshot {
  clients: HaloClient[];
  sites: HaloSite[];
  users: HaloUser[];
  assetTypes: HaloAssetType[];
  licences: HaloLicence[];
  /** Asset statuses, when Halo lists them (`GET /Status?type=asset`, an assumption); undefined = not read. */
  statuses?: HaloStatus[];
}

/** What the previous apply run committed for a tenant (afterSource). */
export interface IntuneSourceState {
  version: 1;
  /** The device count of the last run whose list was complete and passed the drop guard. */
  baselineDeviceCount?: number;
  baselineAt?: string;
  /** Per Intune device id (lower case): a hash of the software last written to its asset. */
  software: Record<string, string>;
  /** Per Intune device id: the user ids last written (used when Halo's list rows do not carry users). */
  users: Record<string, string>;
  runId?: string;
  updatedAt?: string;
}

export function emptyState(): IntuneSourceState {
  return { version: 1, software: {}, users: {} };
}

/** The fields an asset write may carry (`POST /Asset`). Ids are integers. */
export interface AssetWrite {
  id?: number;
  intune_id: string;
  client_id?: number;
  site_id?: number;
  assettype_id?: number;
  status_id?: number;
  inactive?: boolean;
  inventory_number?: string;
  key_field?: string;
  key_field2?: string;
  key_field3?: string;
  fields?: { id: number; value: string }[];
  customfields?: { id: number; value: string }[];
  users?: { id: number }[];
  software?: SoftwareWrite[];
}

export interface SoftwareWrite {
  name: string;
  version: string;
  licence_id?: number;
}
