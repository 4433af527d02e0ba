import type { WriteBatch } from '../engine/definition';
import { toWriteBatches, type WriteRecord } from '../engine/writeBatches';
import type { IntunePlan } from './changes';

export const INTUNE_WRITE_RESOURCES = ['/AssetType', '/SoftwareLicence', '/Asset'] as const;

/**
 * A plan's Halo writes: the asset types and software licences it creates first (assets refer to them), then the
 * assets, at most `batchSize` per POST. One change per asset, so nothing needs merging.
 */
export function toIntuneWrites(plan: IntunePlan, options: { batchSize?: number } = {}): WriteBatch[] {
  const records: WriteRecord<{ id?: number }>[] = plan.changes.map((change) => ({
    resource: change.resource,
    body: change.body as { id?: number },
    kind: change.kind,
  }));
  return toWriteBatches(records, { resources: INTUNE_WRITE_RESOURCES, ...options });
}

/**
 * Halo requests the one-record-at-a-time way (as Halo's own import or a script would): per device one asset
 * lookup and one write when it changes, plus the run's reads of types and licences.
 */
export function countPerRecordRequests(plans: readonly IntunePlan[]): number {
  return plans.reduce((n, plan) => n + plan.devices.listed + plan.changes.length, 0) + 2;
}
