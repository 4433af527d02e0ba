import { GraphAccessError } from '../../../graph';
import type { SyncDeps } from '../../engine/definition';
import { connectionOf, graphForConnection } from '../connectionGraph';
import { ENTRA_SYNC_STORAGE } from '../constants';
import type { AssignLicenseBody } from './types';

type Deps = Pick<SyncDeps, 'config' | 'graph' | 'graphForApp' | 'secrets' | 'stores' | 'log' | 'now'>;

const refusalsKey = (tenantId: string) => `licenceRefusals:${tenantId.toLowerCase()}`;

/** A licence assignment Entra refused (no seat, no usage location, a group-inherited licence, …). */
export interface LicenceRefusal {
  readonly oid: string;
  readonly add: readonly string[];
  readonly remove: readonly string[];
  readonly message: string;
  readonly at: string;
}

async function graphOf(deps: Deps, tenantId: string) {
  const connection = connectionOf(deps.config.entraSync.connections, tenantId);
  if (!connection) throw new Error(`no Entra connection for tenant ${tenantId}`);
  return graphForConnection(deps, connection);
}

/**
 * The look before a resend: when an earlier delivery may have sent this batch, each user's licences are read
 * from Entra and what is already done is left out (an add already assigned, a remove already gone), so that no
 * assignLicense is sent twice and a retry never fails on its own first success.
 */
export async function beforeSendAssignments(
  deps: Deps,
  tenantId: string,
  bodies: readonly AssignLicenseBody[],
  recovering: boolean,
): Promise<AssignLicenseBody[]> {
  if (!recovering) return [...bodies];
  const graph = await graphOf(deps, tenantId);
  const out: AssignLicenseBody[] = [];
  for (const body of bodies) {
    const user = (await graph.get(`/users/${encodeURIComponent(body.oid)}`, {
      select: ['id', 'assignedLicenses'],
      context: { operation: 'userLicences', permission: 'User.Read.All' },
    })) as { assignedLicenses?: { skuId?: string }[] } | undefined;
    const has = new Set((user?.assignedLicenses ?? []).map((l) => String(l.skuId ?? '').toLowerCase()));
    const addLicenses = body.addLicenses.filter((l) => !has.has(l.skuId.toLowerCase()));
    const removeLicenses = body.removeLicenses.filter((s) => has.has(s.toLowerCase()));
    if (addLicenses.length + removeLicenses.length < body.addLicenses.length + body.removeLicenses.length) {
      deps.log.warn('Entra ID sync: licence assignments an interrupted send had made are not sent again', {
        oid: body.oid,
      });
    }
    if (addLicenses.length > 0 || removeLicenses.length > 0) out.push({ oid: body.oid, addLicenses, removeLicenses });
  }
  return out;
}

/**
 * One `POST /users/{oid}/assignLicense` per user. A refusal by Entra (400/403/404: no free seat, no usage
 * location, a licence inherited from a group) is not retried: it is kept and shown as a problem of the next run
 * (whose plan then puts Halo back to what Entra has); any other failure fails the batch, to be retried.
 */
export async function sendAssignments(
  deps: Deps,
  tenantId: string,
  bodies: readonly AssignLicenseBody[],
): Promise<void> {
  const graph = await graphOf(deps, tenantId);
  const refusals: LicenceRefusal[] = [];
  for (const body of bodies) {
    try {
      await graph.post(
        `/users/${encodeURIComponent(body.oid)}/assignLicense`,
        { addLicenses: body.addLicenses, removeLicenses: body.removeLicenses },
        { context: { operation: 'assignLicense', permission: 'LicenseAssignment.ReadWrite.All' } },
      );
    } catch (error) {
      if (!(error instanceof GraphAccessError) || ![400, 403, 404].includes(error.status ?? 0)) throw error;
      const refusal: LicenceRefusal = {
        oid: body.oid,
        add: body.addLicenses.map((l) => l.skuId),
        remove: body.removeLicenses,
        message: error.message,
        at: deps.now().toISOString(),
      };
      refusals.push(refusal);
      deps.log.warn('Entra ID sync: Entra refused a licence assignment made in Halo', { ...refusal });
    }
  }
  if (refusals.length > 0) await keepRefusals(deps, tenantId, refusals);
}

async function keepRefusals(deps: Deps, tenantId: string, refusals: readonly LicenceRefusal[]): Promise<void> {
  const current = await deps.stores.checkpoints.get(ENTRA_SYNC_STORAGE, refusalsKey(tenantId));
  const before = current ? (JSON.parse(current.value) as LicenceRefusal[]) : [];
  await deps.stores.checkpoints.put(
    ENTRA_SYNC_STORAGE,
    refusalsKey(tenantId),
    JSON.stringify([...before, ...refusals].slice(-100)),
    current?.etag ?? null,
  );
}

/** The refusals since the last run took them (they become that run's problems); cleared once read in apply mode. */
export async function takeRefusals(
  deps: Pick<SyncDeps, 'stores'>,
  tenantId: string,
  options: { clear: boolean },
): Promise<LicenceRefusal[]> {
  const current = await deps.stores.checkpoints.get(ENTRA_SYNC_STORAGE, refusalsKey(tenantId));
  if (!current) return [];
  if (options.clear) await deps.stores.checkpoints.delete(ENTRA_SYNC_STORAGE, refusalsKey(tenantId));
  try {
    return JSON.parse(current.value) as LicenceRefusal[];
  } catch {
    return [];
  }
}
