import type { WriteBatch } from '../engine/definition';
import { HALO_MAX_BATCH } from '../engine/writeBatches';
import type { EntraChange, EntraPlan, IdOrRef } from './changes';
import { isRef } from './changes';
import { ASSIGN_LICENSE } from './licences/types';

export type EntraResource =
  | '/Site'
  | '/SoftwareLicence'
  | '/Agent'
  | '/Users'
  | '/CAB'
  | '/Tickets'
  | typeof ASSIGN_LICENSE;

/**
 * The plan's writes, in an order that lets later writes name what earlier ones create: new sites, software
 * licences, new agents, then agent updates (a line manager may be an agent just created), users (a site or a
 * licence may be new), CAB members (an agent or user may be new), ticket reassignments, and last the licence
 * assignments in Entra (Graph, one request per user). Changes to one record are merged into one body (later
 * fields win); each phase goes in arrays of at most `batchSize` (≤ 100).
 */
export function entraWrites(plan: Pick<EntraPlan, 'changes'>, options: { batchSize?: number } = {}): WriteBatch[] {
  const size = Math.min(HALO_MAX_BATCH, Math.max(1, Math.trunc(options.batchSize ?? HALO_MAX_BATCH)));
  const phases: [EntraResource, (c: EntraChange) => boolean][] = [
    ['/Site', (c) => c.kind === 'createSite'],
    ['/SoftwareLicence', (c) => c.kind === 'createLicence' || c.kind === 'updateLicence'],
    ['/Agent', (c) => c.kind === 'createAgent'],
    ['/Agent', (c) => c.kind === 'updateAgent' || c.kind === 'deactivateAgent' || c.kind === 'reactivateAgent'],
    [
      '/Users',
      (c) =>
        c.kind === 'createUser' ||
        c.kind === 'updateUser' ||
        c.kind === 'deactivateUser' ||
        c.kind === 'reactivateUser' ||
        c.kind === 'linkLicences',
    ],
    ['/CAB', (c) => c.kind === 'addCabMember'],
    ['/Tickets', (c) => c.kind === 'reassignTicket'],
    [ASSIGN_LICENSE, (c) => c.kind === 'assignLicence'],
  ];
  const batches: WriteBatch[] = [];
  for (const [resource, belongs] of phases) {
    const records = merged(plan.changes.filter(belongs));
    for (let i = 0; i < records.length; i += size) {
      const slice = records.slice(i, i + size);
      batches.push({
        resource,
        bodies: slice.map((r) => r.body),
        changeCount: slice.reduce((n, r) => n + r.changes, 0),
      });
    }
  }
  return batches;
}

interface Merged {
  body: Record<string, unknown>;
  changes: number;
}

/** One body per record: creates stay apart; updates of one record (an id, or a ref to a created one) merge. */
function merged(changes: readonly EntraChange[]): Merged[] {
  const out: Merged[] = [];
  const byKey = new Map<string, Merged>();
  for (const change of changes) {
    const { key, body } = bodyOf(change);
    if (key === undefined) {
      out.push({ body: { ...body }, changes: 1 });
      continue;
    }
    const existing = byKey.get(key);
    if (existing) {
      existing.body = mergeBodies(existing.body, body);
      existing.changes++;
      continue;
    }
    const record = { body: { ...body }, changes: 1 };
    byKey.set(key, record);
    out.push(record);
  }
  return out;
}

function bodyOf(change: EntraChange): { key: string | undefined; body: Record<string, unknown> } {
  switch (change.kind) {
    case 'createSite':
    case 'createAgent':
    case 'createUser':
    case 'createLicence':
      return { key: undefined, body: change.body as Record<string, unknown> };
    case 'addCabMember':
      return { key: `cab:${change.cabId}`, body: { id: change.cabId, members: [change.member] } };
    case 'reassignTicket':
      return { key: `ticket:${change.ticketId}`, body: change.body };
    case 'assignLicence':
      return { key: `assign:${change.oid}`, body: change.body as unknown as Record<string, unknown> };
    default:
      return { key: idKey(change.body.id), body: change.body as Record<string, unknown> };
  }
}

function idKey(id: IdOrRef): string {
  return isRef(id) ? `ref:${JSON.stringify(id)}` : `id:${id}`;
}

/** Later fields win, except CAB members, which add up. */
function mergeBodies(earlier: Record<string, unknown>, later: Record<string, unknown>): Record<string, unknown> {
  const out = { ...earlier, ...later };
  if (Array.isArray(earlier.members) && Array.isArray(later.members))
    out.members = [...earlier.members, ...later.members];
  return out;
}
