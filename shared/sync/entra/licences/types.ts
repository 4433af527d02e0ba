import type { FieldChange } from '../changes';

/** A Halo software licence made or found for one Entra subscription (`Licence_List`). */
export interface HaloLicenceRecord {
  readonly id: number;
  readonly name: string;
  readonly client_id: number;
  /** Entra's `skuPartNumber`. */
  readonly product_sku?: string;
  /** Entra's `skuId` (the link this sync keeps; lower-case). */
  readonly vendor_product_sku?: string;
  readonly count?: number;
  readonly licences_in_use?: number;
}

/** One Entra subscription as `GET /subscribedSkus` lists it. */
export interface EntraSku {
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** `User` (assignable to users) or `Company`. */
  readonly appliesTo: string;
  readonly enabledUnits: number;
  readonly consumedUnits: number;
}

/** A licence not yet in Halo when the plan was made: resolved to its id when a later batch needs it. */
export interface LicenceRef {
  readonly $ref: 'licence';
  readonly clientId: number;
  readonly skuId: string;
}

export interface LicenceBody {
  id?: number;
  name?: string;
  client_id?: number;
  product_sku?: string;
  vendor_product_sku?: string;
  manufacturer?: string;
  tenant_id?: string;
  count?: number;
  licences_in_use?: number;
}

export interface CreateLicenceChange {
  readonly kind: 'createLicence';
  readonly resource: '/SoftwareLicence';
  readonly oid?: undefined;
  readonly upn?: undefined;
  readonly skuId: string;
  readonly body: LicenceBody;
  readonly fields: readonly FieldChange[];
  readonly reason: string;
}

export interface UpdateLicenceChange {
  readonly kind: 'updateLicence';
  readonly resource: '/SoftwareLicence';
  readonly oid?: undefined;
  readonly upn?: undefined;
  readonly skuId: string;
  readonly licenceId: number;
  readonly body: LicenceBody & { id: number };
  readonly fields: readonly FieldChange[];
  readonly reason: string;
}

/** A Halo user's links to this connection's licences become exactly `licences` (Halo follows Entra). */
export interface LinkLicencesChange {
  readonly kind: 'linkLicences';
  readonly resource: '/Users';
  readonly oid: string;
  readonly upn: string;
  readonly userId: number;
  readonly body: { id: number; software: { licence_id: number | LicenceRef; name: string }[] };
  readonly fields: readonly FieldChange[];
  readonly reason: string;
}

/** Entra follows Halo: `POST /users/{oid}/assignLicense` (licences managed from Halo). */
export interface AssignLicenceChange {
  readonly kind: 'assignLicence';
  readonly resource: typeof ASSIGN_LICENSE;
  readonly oid: string;
  readonly upn: string;
  readonly userId: number;
  readonly body: AssignLicenseBody;
  readonly fields: readonly FieldChange[];
  readonly reason: string;
}

/** The body of Graph's assignLicense, with the user it is for (`oid`, plan-side only). */
export interface AssignLicenseBody {
  oid: string;
  addLicenses: { skuId: string; disabledPlans: string[] }[];
  removeLicenses: string[];
}

/** The pseudo-resource of the Graph writes: batches to it go to Graph, one assignLicense per user. */
export const ASSIGN_LICENSE = 'graph:/users/assignLicense' as const;

export type LicenceChange = CreateLicenceChange | UpdateLicenceChange | LinkLicencesChange | AssignLicenceChange;

/** What the licence part remembers between runs: the licences each user had on both sides when last synced. */
export interface LicenceSyncState {
  /** Entra user → sku ids (lower-case) both sides agreed on. */
  readonly synced: Readonly<Record<string, readonly string[]>>;
}
