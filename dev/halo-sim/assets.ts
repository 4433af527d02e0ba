import type { ApiContext, Params } from './resources';
import { validationError } from './simError';
import type { HaloSimStore, TableName } from './store';
import type { Rec } from './types';

/**
 * Halo's asset side, as strict as the OpenAPI spec and the reference allow (entra-intune.md §B5–B6):
 * - `/Asset` (`Device`): list rows are `Device_List` (no `users`, no `software`); `fields` only with
 *   `includeassetfields`; inactive assets only with `includeinactive`; a POST replaces an asset's whole `fields`
 *   array (HaloAPI issue 13) and, by our assumption, its `software` and `users` arrays; a create needs a company,
 *   a site of that company and an asset type that exist, and a status must be an asset status;
 * - `/AssetType` (`Xtype`, bare array, `assetgroup_id` filter; a create needs a name and an existing group);
 * - `/AssetGroup` (`Generic`, bare array); `/Status?type=asset` lists asset statuses (assumed from HaloAPI's
 *   `Get-HaloStatus -Type`; without `type`, ticket statuses as before);
 * - `/SoftwareLicence` (`Licence_List`, paged, envelope `licences`, `client_id` and `search` filters).
 */
interface AssetResource {
  table: TableName;
  envelope?: string;
  filter?: (rows: Rec[], q: Params, store: HaloSimStore) => Rec[];
  view?: (row: Rec, q: Params) => Rec;
  create?: (item: Record<string, unknown>, ctx: ApiContext) => Rec;
  afterWrite?: (row: Rec, ctx: ApiContext) => void;
  checkUpdate?: (merged: Rec, ctx: ApiContext) => void;
  readOnly?: boolean;
  paging?: false;
}

const flag = (q: Params, name: string) => ['true', '1'].includes((q.get(name) ?? '').toLowerCase());
const num = (q: Params, name: string) => (q.has(name) ? Number(q.get(name)) : undefined);

function withId(table: TableName, ctx: ApiContext, item: Record<string, unknown>): Rec {
  const row: Rec = { id: ctx.store.nextId(table) };
  for (const [key, value] of Object.entries(item))
    if (key !== 'id' && !key.startsWith('_')) row[key] = structuredClone(value);
  return row;
}

function byNumber(rows: Rec[], q: Params, names: readonly string[]): Rec[] {
  let out = rows;
  for (const name of names) {
    const value = num(q, name);
    if (value !== undefined) out = out.filter((row) => Number(row[name]) === value);
  }
  return out;
}

function checkAssetReferences(row: Rec, store: HaloSimStore): void {
  const client = store.tables.clients.get(Number(row.client_id));
  if (!client) throw validationError('Please select a valid Customer');
  const site = store.tables.sites.get(Number(row.site_id));
  if (!site || Number(site.client_id) !== client.id) throw validationError('Please select a valid Site');
  const type = store.tables.assetTypes.get(Number(row.assettype_id));
  if (!type) throw validationError('Please select a valid Asset Type');
  if (row.status_id !== undefined && row.status_id !== null && !store.tables.assetStatuses.has(Number(row.status_id))) {
    throw validationError(`Invalid asset status ${row.status_id}`);
  }
}

/** Names Halo returns next to an asset's ids, refreshed after every write. */
function denormaliseAsset(store: HaloSimStore, row: Rec): void {
  row.client_name = store.tables.clients.get(Number(row.client_id))?.name;
  row.site_name = store.tables.sites.get(Number(row.site_id))?.name;
  const type = store.tables.assetTypes.get(Number(row.assettype_id));
  row.assettype_name = type?.name;
  row.assetgroup_name = store.tables.assetGroups.get(Number(type?.assetgroup_id))?.name;
  if (row.status_id !== undefined) row.status_name = store.tables.assetStatuses.get(Number(row.status_id))?.name;
  row.inactive = row.inactive === true;
  row.intune_id ??= '';
  if (Array.isArray(row.fields)) {
    row.fields = (row.fields as Rec[]).map((f) => ({
      ...f,
      name: store.tables.assetFields.get(Number(f.id))?.name ?? f.name ?? `Field ${f.id}`,
    }));
  }
}

export const ASSET_RESOURCES: Record<string, AssetResource> = {
  asset: {
    table: 'assets',
    envelope: 'assets',
    filter: (rows, q) => {
      let out = byNumber(rows, q, ['client_id', 'site_id', 'assettype_id']);
      if (!flag(q, 'includeinactive')) out = out.filter((row) => row.inactive !== true);
      const search = q.get('search')?.toLowerCase();
      if (search)
        out = out.filter((row) =>
          String(row.inventory_number ?? '')
            .toLowerCase()
            .includes(search),
        );
      return out;
    },
    view: (row, q) => {
      if (flag(q, 'includeassetfields')) return row;
      const { fields: _fields, ...rest } = row;
      return rest as Rec;
    },
    create: (item, ctx) => {
      const row = withId('assets', ctx, item);
      checkAssetReferences(row, ctx.store);
      return row;
    },
    checkUpdate: (merged, ctx) => checkAssetReferences(merged, ctx.store),
    afterWrite: (row, ctx) => denormaliseAsset(ctx.store, row),
  },
  assettype: {
    table: 'assetTypes',
    paging: false,
    filter: (rows, q) => byNumber(rows, q, ['assetgroup_id']),
    create: (item, ctx) => {
      if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
      if (!ctx.store.tables.assetGroups.has(Number(item.assetgroup_id)))
        throw validationError('Please select an Asset Group');
      return withId('assetTypes', ctx, item);
    },
    afterWrite: (row, ctx) => {
      row.assetgroup_name = ctx.store.tables.assetGroups.get(Number(row.assetgroup_id))?.name;
    },
  },
  assetgroup: {
    table: 'assetGroups',
    paging: false,
    create: (item, ctx) => {
      if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
      return withId('assetGroups', ctx, item);
    },
  },
  status: {
    table: 'statuses',
    readOnly: true,
    paging: false,
    filter: (rows, q, store) =>
      (q.get('type') ?? '').toLowerCase() === 'asset' ? [...store.tables.assetStatuses.values()] : rows,
  },
  softwarelicence: {
    table: 'softwareLicences',
    envelope: 'licences',
    filter: (rows, q) => {
      let out = byNumber(rows, q, ['client_id']);
      if (!flag(q, 'includeinactive')) out = out.filter((row) => row.is_active !== false);
      const search = q.get('search')?.toLowerCase();
      if (search)
        out = out.filter((row) =>
          String(row.name ?? '')
            .toLowerCase()
            .includes(search),
        );
      return out;
    },
    create: (item, ctx) => {
      if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
      if (item.client_id !== undefined && item.client_id !== 0 && !ctx.store.tables.clients.has(Number(item.client_id)))
        throw validationError('Please select a valid Customer');
      return withId('softwareLicences', ctx, { is_active: true, deleted: false, ...item });
    },
  },
};
