import { validationError } from './simError';
import { applyPatch, type HaloSimStore, type TableName } from './store';
import type { Rec } from './types';

/**
 * Software licences and who holds them, for the Entra ID sync's licence import (entra-intune.md §B6):
 * - `/SoftwareLicence` (`Licence_List`, paged, envelope `licences`, `client_id` filter; a create needs a name and,
 *   when given, an existing client);
 * - a user's `software` (`DeviceApplications` rows with a `licence_id`) set by posting the user: by our assumption
 *   (no public source says) the posted list replaces the user's licence rows, as a posted asset's `fields` replace
 *   its fields (HaloAPI issue 13); each row needs a licence that exists;
 * - `GET /AssetSoftware?licence_id=` (read-only, envelope `software`): the users' rows of a licence.
 */
interface LicenceResource {
  table: TableName;
  envelope?: string;
  filter?: (rows: Rec[], q: Map<string, string>, store: HaloSimStore) => Rec[];
  create?: (item: Record<string, unknown>, ctx: { store: HaloSimStore }) => Rec;
  readOnly?: boolean;
}

const num = (q: Map<string, string>, name: string) => (q.has(name) ? Number(q.get(name)) : undefined);

export function licenceResources(): Record<string, LicenceResource> {
  return {
    softwarelicence: {
      table: 'softwareLicences',
      envelope: 'licences',
      filter: (rows, q) => {
        const clientId = num(q, 'client_id');
        return clientId === undefined ? rows : rows.filter((r) => Number(r.client_id) === clientId);
      },
      create: (item, ctx) => {
        if (typeof item.name !== 'string' || item.name.trim() === '') throw validationError('Please enter a Name');
        if (item.client_id !== undefined && !ctx.store.tables.clients.has(Number(item.client_id)))
          throw validationError('Please select a valid Customer');
        const row: Rec = { id: ctx.store.nextId('softwareLicences') };
        applyPatch(row, item);
        return row;
      },
    },
    assetsoftware: {
      table: 'users',
      envelope: 'software',
      readOnly: true,
      filter: (rows, q) => {
        const licenceId = num(q, 'licence_id');
        const userId = num(q, 'user_id');
        return rows
          .filter((u) => userId === undefined || u.id === userId)
          .flatMap((u) => softwareOf(u).map((s): Rec => ({ ...s, user_id: u.id })))
          .filter((s) => licenceId === undefined || Number(s.licence_id) === licenceId);
      },
    },
  };
}

function softwareOf(user: Rec): Rec[] {
  return Array.isArray(user.software) ? (user.software as Rec[]) : [];
}

/** A user's posted `software`: every licence must exist; rows get ids and the licence's name. */
export function validateUserSoftware(item: Record<string, unknown>, store: HaloSimStore): void {
  if (item.software === undefined) return;
  if (!Array.isArray(item.software)) throw validationError('software must be an array');
  for (const row of item.software as Rec[]) {
    const licenceId = Number(row.licence_id ?? 0);
    if (licenceId > 0 && !store.tables.softwareLicences.has(licenceId))
      throw validationError(`Licence ${licenceId} does not exist`);
  }
}

export function denormaliseUserSoftware(row: Rec, store: HaloSimStore): void {
  if (!Array.isArray(row.software)) return;
  row.software = (row.software as Rec[]).map((s, i) => {
    const licence = store.tables.softwareLicences.get(Number(s.licence_id ?? 0));
    return { ...s, id: Number(s.id ?? 0) > 0 ? s.id : row.id * 1000 + i + 1, licence_name: licence?.name ?? '' };
  });
}
