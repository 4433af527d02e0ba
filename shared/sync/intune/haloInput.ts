import { z } from 'zod';
import type { HaloClient } from '../../halo';
import { haloFlag, haloInt, haloOptionalText, haloText, optionalHaloInt } from '../common/haloFields';
import type { HaloAsset, HaloAssetField, HaloAssetType, HaloLicence, HaloStatus } from './types';

/**
 * Readers of Halo's asset-side lists. Rows are read one by one: a row that cannot be read is skipped and named
 * (the caller records it), never fatal to the rest.
 */

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

const assetFieldSchema = z.object({
  id: haloInt,
  name: haloOptionalText,
  value: fieldValue,
  display: fieldValue,
});

const assetRowSchema = z.object({
  id: haloInt,
  client_id: haloInt,
  site_id: optionalHaloInt,
  assettype_id: optionalHaloInt,
  assettype_name: haloOptionalText,
  status_id: optionalHaloInt,
  inactive: haloFlag,
  intune_id: haloText,
  inventory_number: haloOptionalText,
  key_field: haloOptionalText,
  key_field2: haloOptionalText,
  key_field3: haloOptionalText,
  fields: z.array(assetFieldSchema).nullish(),
  customfields: z.array(assetFieldSchema).nullish(),
  users: z.array(z.object({ id: haloInt })).nullish(),
});

export interface RowsRead<T> {
  rows: T[];
  unreadable: { index: number; id?: unknown; reason: string }[];
}

function readRows<S extends z.ZodType, T>(raw: unknown[], schema: S, map: (row: z.output<S>) => T): RowsRead<T> {
  const out: RowsRead<T> = { rows: [], unreadable: [] };
  raw.forEach((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.rows.push(map(parsed.data));
    else {
      const id = (row as { id?: unknown } | null)?.id;
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
      out.unreadable.push({ index, ...(id !== undefined ? { id } : {}), reason });
    }
  });
  return out;
}

function fieldsOf(list: z.output<typeof assetFieldSchema>[] | null | undefined): HaloAssetField[] | undefined {
  if (list === undefined || list === null) return undefined;
  return list.map((f) => ({
    id: f.id,
    ...(f.name ? { name: f.name } : {}),
    value: f.value === null || f.value === undefined ? '' : String(f.value),
  }));
}

export function assetsFromRows(raw: unknown[]): RowsRead<HaloAsset> {
  return readRows(raw, assetRowSchema, (row) => {
    const { fields, customfields, users, ...rest } = row;
    const asset: HaloAsset = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined),
    ) as unknown as HaloAsset;
    const f = fieldsOf(fields);
    const c = fieldsOf(customfields);
    if (f) asset.fields = f;
    if (c) asset.customfields = c;
    if (users) asset.users = users.map((u) => u.id);
    return asset;
  });
}

/** A company's assets, inactive ones included, with their fields: one paged read (100 a page). */
export async function readCompanyAssets(halo: HaloClient, clientId: number): Promise<RowsRead<HaloAsset>> {
  const raw = await halo.list('/Asset', {
    key: 'assets',
    query: { client_id: clientId, includeinactive: true, includeassetfields: true },
  });
  return assetsFromRows(raw);
}

const assetTypeSchema = z.object({ id: haloInt, name: haloText, assetgroup_id: optionalHaloInt });

export async function readAssetTypes(halo: HaloClient): Promise<RowsRead<HaloAssetType>> {
  const raw = await halo.listUnpaged('/AssetType', { key: 'assettypes' });
  return readRows(raw, assetTypeSchema, (t) => ({
    id: t.id,
    name: t.name,
    ...(t.assetgroup_id !== undefined ? { assetgroup_id: t.assetgroup_id } : {}),
  }));
}

const licenceSchema = z.object({ id: haloInt, name: haloText, client_id: optionalHaloInt, deleted: haloFlag });

/** Software licences (paged), deleted ones left out; of one company when `clientId` is given. */
export async function readLicences(halo: HaloClient, clientId?: number): Promise<RowsRead<HaloLicence>> {
  const raw = await halo.list('/SoftwareLicence', {
    key: 'licences',
    query: { includeinactive: true, ...(clientId !== undefined ? { client_id: clientId } : {}) },
  });
  const read = readRows(raw, licenceSchema, (l) => l);
  return {
    rows: read.rows
      .filter((l) => !l.deleted)
      .map((l) => ({ id: l.id, name: l.name, ...(l.client_id !== undefined ? { client_id: l.client_id } : {}) })),
    unreadable: read.unreadable,
  };
}

const statusSchema = z.object({ id: haloInt, name: haloText });

/** Asset statuses: `GET /Status?type=asset` (inferred from HaloAPI's `Get-HaloStatus -Type`; no public source). */
export async function readAssetStatuses(halo: HaloClient): Promise<RowsRead<HaloStatus>> {
  const raw = await halo.listUnpaged('/Status', { query: { type: 'asset' }, key: 'statuses' });
  return readRows(raw, statusSchema, (s) => s);
}
