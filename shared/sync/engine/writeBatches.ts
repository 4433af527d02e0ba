import type { WriteBatch } from './definition';

/** Halo takes arrays of up to 100 records per write. */
export const HALO_MAX_BATCH = 100;

/** A planned change that writes one Halo record: `POST <resource>` with `body` (with an id: an update). */
export interface WriteRecord<Body extends { id?: number } = { id?: number }> {
  readonly resource: string;
  readonly body: Body;
  readonly kind: string;
}

/**
 * Turns changes into Halo write requests, resource by resource in the order given (e.g. companies before their
 * contacts). Changes to the same record are merged into one body (`merge`, by default later fields win); creates
 * are never merged. Ids must be integers. Every sync batches its writes with this.
 */
export function toWriteBatches<Body extends { id?: number }>(
  changes: readonly WriteRecord<Body>[],
  options: { resources: readonly string[]; batchSize?: number; merge?: (earlier: Body, later: Body) => Body },
): WriteBatch<Body>[] {
  const batchSize = Math.min(HALO_MAX_BATCH, Math.max(1, Math.trunc(options.batchSize ?? HALO_MAX_BATCH)));
  const merge = options.merge ?? ((earlier: Body, later: Body) => ({ ...earlier, ...later }));
  const unknown = changes.find((c) => !options.resources.includes(c.resource));
  if (unknown)
    throw new Error(`${unknown.kind}: resource ${unknown.resource} is not among ${options.resources.join(', ')}`);
  const batches: WriteBatch<Body>[] = [];
  for (const resource of options.resources) {
    const records = mergeRecords(
      changes.filter((c) => c.resource === resource),
      merge,
    );
    for (let i = 0; i < records.length; i += batchSize) {
      const slice = records.slice(i, i + batchSize);
      batches.push({
        resource,
        bodies: slice.map((r) => r.body),
        changeCount: slice.reduce((n, r) => n + r.changes, 0),
      });
    }
  }
  return batches;
}

interface MergedRecord<Body> {
  body: Body;
  changes: number;
}

function mergeRecords<Body extends { id?: number }>(
  changes: readonly WriteRecord<Body>[],
  merge: (earlier: Body, later: Body) => Body,
): MergedRecord<Body>[] {
  const out: MergedRecord<Body>[] = [];
  const byId = new Map<number, MergedRecord<Body>>();
  for (const change of changes) {
    const id = change.body.id;
    if (id !== undefined && !Number.isInteger(id)) throw new Error(`${change.kind}: record id ${id} is not an integer`);
    if (id === undefined) {
      out.push({ body: { ...change.body }, changes: 1 });
      continue;
    }
    const existing = byId.get(id);
    if (existing) {
      existing.body = merge(existing.body, change.body);
      existing.changes++;
      continue;
    }
    const record = { body: { ...change.body }, changes: 1 };
    byId.set(id, record);
    out.push(record);
  }
  return out;
}
