import { createHash } from 'node:crypto';
import { type FieldMapping, type IntuneDeviceField, LIST_PLACEHOLDER_FIELDS } from '../../config/integration/intune';
import { currentValue } from './assetTargets';
import type { HaloAsset, IntuneDevice } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The mapped fields a device list answers with placeholders (each needs a per-device read). */
export function placeholderFields(mappings: readonly FieldMapping[]): IntuneDeviceField[] {
  return [...new Set(mappings.map((m) => m.from).filter((f) => LIST_PLACEHOLDER_FIELDS.includes(f)))];
}

/**
 * Which devices get a single-device read for their placeholder fields this run: those with no asset linked by
 * their Intune id yet (new, or about to be linked), those whose asset lacks a mapped value, and a rotating share
 * of the rest, so that every device is read again within `refreshDays` (memory and network cards rarely change,
 * and one read per device per day would cost the fleet's size in requests every run). Pure.
 */
export function devicesNeedingDetails(input: {
  devices: readonly IntuneDevice[];
  assets: readonly HaloAsset[];
  mappings: readonly FieldMapping[];
  refreshDays: number;
  now: Date;
}): string[] {
  const fields = placeholderFields(input.mappings);
  if (fields.length === 0) return [];
  const targets = input.mappings.filter((m) => fields.includes(m.from)).map((m) => m.to);
  const byIntuneId = new Map(input.assets.filter((a) => a.intune_id).map((a) => [a.intune_id.toLowerCase(), a]));
  const today = Math.floor(input.now.getTime() / DAY_MS);
  return input.devices
    .filter((device) => {
      const asset = byIntuneId.get(device.id.toLowerCase());
      if (!asset) return true;
      if (targets.some((t) => !currentValue(asset, t))) return true;
      return rotationSlot(device.id, input.refreshDays) === today % input.refreshDays;
    })
    .map((d) => d.id);
}

/** A device's day in the refresh rotation: stable, spread evenly by a hash of its id. */
export function rotationSlot(deviceId: string, refreshDays: number): number {
  return createHash('sha256').update(deviceId.toLowerCase()).digest().readUInt32BE(0) % refreshDays;
}
