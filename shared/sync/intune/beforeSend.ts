import { nameKey } from '../common/normalise';
import type { SyncDeps, WriteBatch } from '../engine/definition';
import { type AssetChange, companyFound, type IntunePlan } from './changes';
import { SHARED_CREATE_SCOPE } from './constants';
import { readAssetTypes, readCompanyAssets, readLicences } from './haloInput';
import { softwareKey } from './software';
import type { AssetWrite, HaloAsset } from './types';

type Deps = Pick<SyncDeps, 'halo' | 'stores'>;

/** A create lock older than this (its holder died) may be taken over. */
const CREATE_LOCK_STALE_MS = 5 * 60_000;

/**
 * The Intune sync's last look before a batch goes to Halo:
 * - asset types and licences are shared (types by every tenant, licences by a company's tenants): each is looked
 *   up live first, and created only under a lock, so two tenants of a run never create the same one twice;
 * - asset batches get the ids of the types and licences this run created, and, when an earlier delivery may have
 *   sent the batch (`recovering`), leave out the assets that exist now (by Intune id): look up before a retry.
 */
export async function beforeSendIntuneWrites(
  deps: Deps,
  batch: WriteBatch,
  context: { plan: IntunePlan; recovering: boolean },
): Promise<unknown[]> {
  const { plan } = context;
  switch (batch.resource) {
    case '/AssetType':
      return lockedCreates(deps, plan, batch.bodies as { name: string }[], {
        what: 'asset type',
        lockKey: (name) => createLockKey(plan, '/AssetType', name),
        existing: async () => (await readAssetTypes(deps.halo)).rows.map((t) => t.name),
        same: (a, b) => a.trim() === b.trim(),
      });
    case '/SoftwareLicence':
      return lockedCreates(deps, plan, batch.bodies as { name: string }[], {
        what: 'software licence',
        lockKey: (name) => createLockKey(plan, '/SoftwareLicence', name),
        existing: async () => (await readLicences(deps.halo, clientOf(plan))).rows.map((l) => l.name),
        same: (a, b) => softwareKey(a) === softwareKey(b),
      });
    case '/Asset': {
      let bodies = await withResolvedRefs(deps, plan, batch.bodies as AssetWrite[]);
      if (context.recovering) bodies = await withoutCreatedAssets(deps, plan, bodies);
      return bodies;
    }
    default:
      return batch.bodies;
  }
}

/**
 * Sends a batch through the Halo client's exactly-once create: when Halo's answer is lost, the records are looked up
 * (assets by Intune id in the company, types and licences by name) and only the missing ones are sent again; updates
 * by id are simply re-sent. Once Halo has answered a batch of types or licences, their create locks are released
 * (another tenant waiting for one now finds it in Halo).
 */
export async function sendIntuneWrites(
  deps: Deps,
  batch: WriteBatch,
  bodies: unknown[],
  context: { plan: IntunePlan },
): Promise<void> {
  const { plan } = context;
  switch (batch.resource) {
    case '/Asset': {
      const assets = bodies as AssetWrite[];
      if (assets.every((a) => a.id !== undefined)) await deps.halo.post(batch.resource, assets);
      else await deps.halo.createOnce(batch.resource, assets, (drafts) => findAssets(deps, plan, drafts));
      return;
    }
    case '/AssetType':
      await deps.halo.createOnce(batch.resource, bodies as { name: string }[], async (drafts) =>
        findByName(drafts, (await readAssetTypes(deps.halo)).rows, (name) => name.trim()),
      );
      break;
    case '/SoftwareLicence':
      await deps.halo.createOnce(batch.resource, bodies as { name: string }[], async (drafts) => {
        const rows = (await readLicences(deps.halo, clientOf(plan))).rows.filter((l) => l.client_id === clientOf(plan));
        return findByName(drafts, rows, softwareKey);
      });
      break;
    default:
      await deps.halo.post(batch.resource, bodies);
      return;
  }
  for (const body of bodies as { name: string }[]) {
    await deps.stores.dedupe.release(SHARED_CREATE_SCOPE, createLockKey(plan, batch.resource, body.name));
  }
}

/** The lock of a shared create: an asset type by name (types are global), a licence by company and name. */
function createLockKey(plan: IntunePlan, resource: string, name: string): string {
  return resource === '/AssetType' ? `type/${nameKey(name)}` : `licence/${clientOf(plan)}/${softwareKey(name)}`;
}

function clientOf(plan: IntunePlan): number {
  if (!companyFound(plan.company)) throw new Error(`tenant ${plan.tenantId} has no Halo company to write to`);
  return plan.company.clientId;
}

/**
 * Creates only what Halo does not have now, each under a lock (a dedupe claim keyed by its name): a second tenant
 * that wants the same name while the first creates it waits (its message is retried) and then finds it.
 */
async function lockedCreates<B extends { name: string }>(
  deps: Deps,
  plan: IntunePlan,
  bodies: readonly B[],
  kind: {
    what: string;
    lockKey: (name: string) => string;
    existing: () => Promise<string[]>;
    same: (a: string, b: string) => boolean;
  },
): Promise<B[]> {
  const live = await kind.existing();
  const missing = bodies.filter((b) => !live.some((name) => kind.same(name, b.name)));
  const out: B[] = [];
  for (const body of missing) {
    const key = kind.lockKey(body.name);
    const owner = { tenantId: plan.tenantId.toLowerCase() };
    const claim = await deps.stores.dedupe.claim(SHARED_CREATE_SCOPE, key, owner, {
      staleAfterMs: CREATE_LOCK_STALE_MS,
    });
    const mine = claim.claimed || (claim.existing.data as { tenantId?: string } | null)?.tenantId === owner.tenantId;
    if (!mine) {
      throw new Error(
        `${kind.what} "${body.name}" is being created for another tenant of this sync; this tenant's write is retried once it exists`,
      );
    }
    out.push(body);
  }
  return out;
}

// Every asset batch of one delivery resolves against the same live lists: read them once per plan.
const resolved = new WeakMap<IntunePlan, Promise<{ types: Map<string, number>; licences: Map<string, number> }>>();

/** Asset bodies that name a type or licence created by this run get its id (and the create locks are released). */
async function withResolvedRefs(deps: Deps, plan: IntunePlan, bodies: AssetWrite[]): Promise<AssetWrite[]> {
  const changes = new Map(
    plan.changes
      .filter((c): c is AssetChange => c.resource === '/Asset')
      .map((c) => [c.body.intune_id.toLowerCase(), c]),
  );
  const needs = bodies.some((b) => changes.get(b.intune_id.toLowerCase())?.refs);
  if (!needs) return bodies;
  let lookup = resolved.get(plan);
  if (!lookup) {
    lookup = liveIds(deps, plan);
    resolved.set(plan, lookup);
    lookup.catch(() => resolved.delete(plan));
  }
  const ids = await lookup;
  return bodies.map((body) => {
    const refs = changes.get(body.intune_id.toLowerCase())?.refs;
    if (!refs) return body;
    const out: AssetWrite = { ...body };
    if (refs.typeName !== undefined) {
      const id = ids.types.get(refs.typeName.trim());
      if (id === undefined)
        throw new Error(`asset type "${refs.typeName}" is not in Halo although this run created it`);
      out.assettype_id = id;
    }
    if (refs.licences && out.software) {
      out.software = out.software.map((entry) => {
        if (entry.licence_id !== undefined || !refs.licences!.includes(softwareKey(entry.name))) return entry;
        const id = ids.licences.get(softwareKey(entry.name));
        if (id === undefined)
          throw new Error(`software licence "${entry.name}" is not in Halo although this run created it`);
        return { ...entry, licence_id: id };
      });
    }
    return out;
  });
}

async function liveIds(deps: Deps, plan: IntunePlan) {
  const createsTypes = plan.changes.some((c) => c.kind === 'createAssetType');
  const createsLicences = plan.changes.some((c) => c.kind === 'createLicence');
  const types = new Map<string, number>();
  const licences = new Map<string, number>();
  if (createsTypes) {
    for (const t of (await readAssetTypes(deps.halo)).rows)
      if (!types.has(t.name.trim())) types.set(t.name.trim(), t.id);
  }
  if (createsLicences) {
    for (const l of (await readLicences(deps.halo, clientOf(plan))).rows.sort((a, b) => a.id - b.id)) {
      const key = softwareKey(l.name);
      if (!licences.has(key) && l.client_id === clientOf(plan)) licences.set(key, l.id);
    }
  }
  return { types, licences };
}

/** Leaves out the creates whose asset (by Intune id) the company has now: one paged read, only when recovering. */
async function withoutCreatedAssets(deps: Deps, plan: IntunePlan, bodies: AssetWrite[]): Promise<AssetWrite[]> {
  if (!bodies.some((b) => b.id === undefined)) return bodies;
  const known = await companyAssetsByIntuneId(deps, plan);
  return bodies.filter((b) => b.id !== undefined || !known.has(b.intune_id.toLowerCase()));
}

async function companyAssetsByIntuneId(deps: Deps, plan: IntunePlan): Promise<Map<string, HaloAsset>> {
  const assets = await readCompanyAssets(deps.halo, clientOf(plan));
  return new Map(assets.rows.filter((a) => a.intune_id !== '').map((a) => [a.intune_id.toLowerCase(), a]));
}

/** Each draft's record by name (`key` normalises), lowest id first when Halo holds several. */
function findByName<R extends { id: number; name: string }>(
  drafts: readonly { name: string }[],
  rows: readonly R[],
  key: (name: string) => string,
): (R | undefined)[] {
  const byName = new Map<string, R>();
  for (const row of [...rows].sort((a, b) => a.id - b.id))
    if (!byName.has(key(row.name))) byName.set(key(row.name), row);
  return drafts.map((d) => byName.get(key(d.name)));
}

/** The look-up after a lost asset answer: creates by Intune id in the company's assets (one paged read). */
async function findAssets(deps: Deps, plan: IntunePlan, drafts: readonly AssetWrite[]) {
  const known = await companyAssetsByIntuneId(deps, plan);
  return drafts.map((d) => (d.id === undefined ? known.get(d.intune_id.toLowerCase()) : undefined));
}
