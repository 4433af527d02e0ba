import type { FieldChange, InboundLogEntry } from '../changes';
import { skuName } from './skuNames';
import {
  ASSIGN_LICENSE,
  type AssignLicenceChange,
  type EntraSku,
  type HaloLicenceRecord,
  type LicenceChange,
  type LicenceRef,
  type LicenceSyncState,
  type LinkLicencesChange,
} from './types';

export interface LicencePlanInput {
  readonly tenantId: string;
  readonly settings: {
    /** The Halo client the licences belong to. */
    readonly clientId: number;
    readonly names: Readonly<Record<string, string>>;
    /** Link Halo users to their licences. */
    readonly linkUsers: boolean;
    /** A licence added to or removed from a Halo user is assigned or removed in Entra. */
    readonly manageFromHalo: boolean;
  };
  readonly skus: readonly EntraSku[];
  /** The client's licences in Halo. */
  readonly haloLicences: readonly HaloLicenceRecord[];
  /** Every present Entra user: its name for people and the sku ids Entra says it has (lower-case). */
  readonly entraUsers: Readonly<Record<string, { readonly upn: string; readonly skuIds: readonly string[] }>>;
  /** The Halo user of each Entra user, where known. */
  readonly haloUserOf: Readonly<Record<string, number>>;
  /** Halo user id → the ids of this client's licences linked to it (read from Halo). */
  readonly haloLinks: Readonly<Record<string, readonly number[]>>;
  /** What was synced last time; undefined on the first run (Entra is then the reference for everyone). */
  readonly previous: LicenceSyncState | undefined;
}

export interface LicencePlan {
  readonly changes: LicenceChange[];
  readonly log: InboundLogEntry[];
  readonly problems: string[];
  /** What both sides agree on once the plan is applied (stored by afterApply). */
  readonly state: LicenceSyncState;
}

interface Licence {
  readonly skuId: string;
  readonly name: string;
  readonly id: number | LicenceRef;
}

/**
 * Entra subscriptions → Halo software licences of one client, and each user's licences kept equal on both sides.
 * A licence is found by its sku id (`vendor_product_sku`), then by its part number (`product_sku`); it is created
 * when missing, and its seat counts follow Entra's. Per user and licence, the side that changed since the last
 * sync wins: Halo's change becomes an assignLicense in Entra when licences are managed from Halo, otherwise (and
 * whenever Entra changed, or both did) Halo's links follow Entra. Pure.
 */
export function planLicences(input: LicencePlanInput): LicencePlan {
  const changes: LicenceChange[] = [];
  const problems: string[] = [];
  const licences = planCatalogue(input, changes, problems);
  const bySku = new Map(licences.map((l) => [l.skuId, l]));
  const skuOfLicence = new Map<number, string>();
  for (const l of licences) if (typeof l.id === 'number') skuOfLicence.set(l.id, l.skuId);
  const log: InboundLogEntry[] = [];
  const synced: Record<string, string[]> = {};
  if (!input.settings.linkUsers && !input.settings.manageFromHalo) return { changes, log, problems, state: { synced } };

  for (const [oid, entra] of Object.entries(input.entraUsers)) {
    const userId = input.haloUserOf[oid];
    const inEntra = new Set(entra.skuIds.map((s) => s.toLowerCase()).filter((s) => bySku.has(s)));
    if (userId === undefined) {
      synced[oid] = [...(input.previous?.synced[oid] ?? [])];
      continue;
    }
    const inHalo = new Set(
      (input.haloLinks[String(userId)] ?? [])
        .map((id) => skuOfLicence.get(id))
        .filter((s): s is string => s !== undefined),
    );
    const before = input.previous?.synced[oid];
    // Never synced before (first run, a new user): Entra is the reference, nothing is read as a change in Halo.
    const fromHalo = input.settings.manageFromHalo && before !== undefined;
    const decided = decide(bySku, inEntra, inHalo, new Set(before ?? inEntra), fromHalo);
    synced[oid] = [...decided.synced].sort();
    const first = changes.length;
    const why: string[] = [];
    if (decided.assign.add.length > 0 || decided.assign.remove.length > 0) {
      changes.push(assignChange(oid, entra.upn, userId, decided.assign, bySku));
      why.push('licences changed in Halo: Entra follows (licences are managed from Halo)');
    }
    if (decided.halo && input.settings.linkUsers) {
      changes.push(linkChange(oid, entra.upn, userId, decided.halo, inHalo, bySku));
      why.push('licences changed in Entra: the Halo user follows');
    }
    if (changes.length > first) {
      log.push({
        oid,
        upn: entra.upn,
        displayName: entra.upn,
        event: 'licences',
        mappings: ['softwareLicences'],
        user: `#${userId}`,
        changes: changes.slice(first).map((c) => `${c.kind}: ${c.fields.map((f) => f.field).join(', ')}`),
        outcome: why.join('; '),
      });
    }
  }
  return { changes, log, problems, state: { synced } };
}

function decide(
  bySku: ReadonlyMap<string, Licence>,
  inEntra: ReadonlySet<string>,
  inHalo: ReadonlySet<string>,
  wasSynced: ReadonlySet<string>,
  manageFromHalo: boolean,
): { synced: Set<string>; halo?: Set<string>; assign: { add: string[]; remove: string[] } } {
  const synced = new Set<string>();
  const haloWants = new Set<string>();
  let haloDiffers = false;
  const assign = { add: [] as string[], remove: [] as string[] };
  for (const skuId of bySku.keys()) {
    const e = inEntra.has(skuId);
    const h = inHalo.has(skuId);
    const s = wasSynced.has(skuId);
    if (manageFromHalo && e === s && h !== s) {
      // Only Halo changed: Entra follows.
      (h ? assign.add : assign.remove).push(skuId);
      if (h) synced.add(skuId);
      if (h) haloWants.add(skuId);
      continue;
    }
    if (e) synced.add(skuId);
    if (e) haloWants.add(skuId);
    if (e !== h) haloDiffers = true;
  }
  return { synced, ...(haloDiffers ? { halo: haloWants } : {}), assign };
}

function assignChange(
  oid: string,
  upn: string,
  userId: number,
  assign: { add: string[]; remove: string[] },
  bySku: ReadonlyMap<string, Licence>,
): AssignLicenceChange {
  const name = (skuId: string) => bySku.get(skuId)?.name ?? skuId;
  return {
    kind: 'assignLicence',
    resource: ASSIGN_LICENSE,
    oid,
    upn,
    userId,
    body: {
      oid,
      addLicenses: assign.add.map((skuId) => ({ skuId, disabledPlans: [] })),
      removeLicenses: assign.remove,
    },
    fields: [
      ...assign.add.map((s) => ({ field: name(s), from: 'not assigned', to: 'assigned', why: 'added in Halo' })),
      ...assign.remove.map((s) => ({ field: name(s), from: 'assigned', to: 'not assigned', why: 'removed in Halo' })),
    ],
    reason: `licences managed from Halo: ${[
      ...assign.add.map((s) => `assign ${name(s)}`),
      ...assign.remove.map((s) => `remove ${name(s)}`),
    ].join(', ')} in Entra`,
  };
}

function linkChange(
  oid: string,
  upn: string,
  userId: number,
  wanted: ReadonlySet<string>,
  had: ReadonlySet<string>,
  bySku: ReadonlyMap<string, Licence>,
): LinkLicencesChange {
  const fields: FieldChange[] = [];
  for (const [skuId, licence] of bySku) {
    if (wanted.has(skuId) === had.has(skuId)) continue;
    fields.push({
      field: licence.name,
      from: had.has(skuId) ? 'linked' : 'not linked',
      to: wanted.has(skuId) ? 'linked' : 'not linked',
      why: wanted.has(skuId) ? 'assigned in Entra' : 'not assigned in Entra',
    });
  }
  const software = [...wanted]
    .sort()
    .map((skuId) => bySku.get(skuId)!)
    .map((l) => ({ licence_id: l.id, name: l.name }));
  return {
    kind: 'linkLicences',
    resource: '/Users',
    oid,
    upn,
    userId,
    body: { id: userId, software },
    fields,
    reason: `the user's Entra licences: ${software.map((s) => s.name).join(', ') || 'none'}`,
  };
}

/** The client's licences, one per assignable subscription: found, updated or created; gone ones emptied. */
function planCatalogue(input: LicencePlanInput, changes: LicenceChange[], problems: string[]): Licence[] {
  const { clientId, names } = input.settings;
  const own = input.haloLicences.filter((l) => l.client_id === clientId);
  const bySkuId = new Map<string, HaloLicenceRecord>();
  const byPart = new Map<string, HaloLicenceRecord[]>();
  for (const l of own) {
    if (l.vendor_product_sku) bySkuId.set(l.vendor_product_sku.toLowerCase(), l);
    if (l.product_sku) byPart.set(l.product_sku, [...(byPart.get(l.product_sku) ?? []), l]);
  }
  const out: Licence[] = [];
  const seen = new Set<number>();
  for (const sku of input.skus) {
    if (sku.appliesTo.toLowerCase() !== 'user') continue;
    const skuId = sku.skuId.toLowerCase();
    const name = skuName(sku.skuPartNumber, names);
    let found = bySkuId.get(skuId);
    if (!found) {
      const candidates = (byPart.get(sku.skuPartNumber) ?? []).filter((l) => !l.vendor_product_sku);
      if (candidates.length > 1) {
        problems.push(
          `licence ${name}: ${candidates.length} Halo licences of client #${clientId} have product SKU ${sku.skuPartNumber} (a tie: none is used; remove the extra ones)`,
        );
        continue;
      }
      found = candidates[0];
    }
    const wanted = { count: sku.enabledUnits, licences_in_use: sku.consumedUnits };
    if (!found) {
      changes.push({
        kind: 'createLicence',
        resource: '/SoftwareLicence',
        skuId,
        body: {
          name,
          client_id: clientId,
          product_sku: sku.skuPartNumber,
          vendor_product_sku: skuId,
          manufacturer: 'Microsoft',
          tenant_id: input.tenantId,
          ...wanted,
        },
        fields: [
          { field: 'name', to: name, why: `subscription ${sku.skuPartNumber}` },
          { field: 'count', to: String(wanted.count), why: 'enabled units in Entra' },
          { field: 'licences_in_use', to: String(wanted.licences_in_use), why: 'consumed units in Entra' },
        ],
        reason: `Entra subscription ${sku.skuPartNumber} has no licence in Halo for client #${clientId}`,
      });
      out.push({ skuId, name, id: { $ref: 'licence', clientId, skuId } });
      continue;
    }
    seen.add(found.id);
    out.push({ skuId, name: found.name, id: found.id });
    const fields: FieldChange[] = [];
    const body: { id: number } & Record<string, unknown> = { id: found.id };
    if (found.vendor_product_sku?.toLowerCase() !== skuId) {
      body.vendor_product_sku = skuId;
      fields.push({ field: 'vendor_product_sku', to: skuId, why: `matched by product SKU ${sku.skuPartNumber}` });
    }
    for (const [field, value] of Object.entries(wanted) as [keyof typeof wanted, number][]) {
      if (found[field] === value) continue;
      body[field] = value;
      fields.push({
        field,
        from: found[field] === undefined ? undefined : String(found[field]),
        to: String(value),
        why: 'Entra',
      });
    }
    if (fields.length > 0) {
      changes.push({
        kind: 'updateLicence',
        resource: '/SoftwareLicence',
        skuId,
        licenceId: found.id,
        body,
        fields,
        reason: `seats of ${sku.skuPartNumber} in Entra`,
      });
    }
  }
  for (const l of own) {
    const skuId = l.vendor_product_sku?.toLowerCase();
    if (!skuId || seen.has(l.id) || out.some((o) => o.skuId === skuId)) continue;
    if ((l.count ?? 0) === 0 && (l.licences_in_use ?? 0) === 0) continue;
    changes.push({
      kind: 'updateLicence',
      resource: '/SoftwareLicence',
      skuId,
      licenceId: l.id,
      body: { id: l.id, count: 0, licences_in_use: 0 },
      fields: [
        { field: 'count', from: String(l.count ?? ''), to: '0', why: 'no longer subscribed in Entra' },
        { field: 'licences_in_use', from: String(l.licences_in_use ?? ''), to: '0', why: 'no longer subscribed' },
      ],
      reason: `subscription ${l.product_sku ?? skuId} is no longer in Entra`,
    });
  }
  return out;
}
