import { type AssetMatchKey, type FieldMapping, MATCH_KEY_FIELD } from '../../config/integration/intune';
import { currentValue, matchTargetOf } from './assetTargets';
import { identifierOf } from './identifiers';
import type { HaloAsset, IntuneDevice } from './types';

export type DeviceMatch =
  | { kind: 'matched'; asset: HaloAsset; by: AssetMatchKey; value: string }
  /** Two or more assets share the device's value: never a match; the device is left alone and reported. */
  | { kind: 'tie'; by: AssetMatchKey; value: string; assets: HaloAsset[] }
  /** The asset the device's value points at belongs to another listed device (a duplicate Intune record). */
  | { kind: 'taken'; by: AssetMatchKey; value: string; asset: HaloAsset; deviceId: string }
  | { kind: 'none' };

const LABEL: Record<AssetMatchKey, string> = {
  intuneId: 'Intune device id',
  serialNumber: 'serial number',
  azureADDeviceId: 'Entra device id',
  deviceName: 'device name',
};

export function matchKeyLabel(key: AssetMatchKey): string {
  return LABEL[key];
}

/**
 * Finds each device's existing asset among the company's assets, one key at a time in the configured order, so
 * that a strong key (the Intune id) settles a device before a weak one (its name) is tried. A value two assets
 * share is a tie: the search stops there for that device (a weaker key must not decide what a stronger one could
 * not). An asset is claimed by one device only: when several devices find the same asset with one key, the one
 * that synced with Intune most recently gets it and the others are reported as duplicates.
 */
export function matchAssets(
  devices: readonly IntuneDevice[],
  assets: readonly HaloAsset[],
  options: { keys: readonly AssetMatchKey[]; mappings: readonly FieldMapping[]; ignoredSerials: ReadonlySet<string> },
): Map<string, DeviceMatch> {
  const result = new Map<string, DeviceMatch>(devices.map((d) => [d.id, { kind: 'none' }]));
  const claimedBy = new Map<number, string>();
  for (const key of options.keys) {
    const index = indexAssets(assets, key, options);
    if (!index) continue;
    const proposals = new Map<number, { device: IntuneDevice; value: string }[]>();
    for (const device of devices) {
      if (result.get(device.id)!.kind !== 'none') continue;
      const raw = key === 'intuneId' ? device.id : device.values[MATCH_KEY_FIELD[key]];
      const value = identifierOf(key, raw, options.ignoredSerials);
      if (value === '') continue;
      const candidates = index.get(value) ?? [];
      const free = candidates.filter((a) => !claimedBy.has(a.id));
      if (free.length > 1) {
        result.set(device.id, { kind: 'tie', by: key, value, assets: sortById(free) });
        continue;
      }
      if (free.length === 1) {
        const list = proposals.get(free[0]!.id) ?? [];
        list.push({ device, value });
        proposals.set(free[0]!.id, list);
        continue;
      }
      if (candidates.length > 0) {
        const asset = sortById(candidates)[0]!;
        result.set(device.id, { kind: 'taken', by: key, value, asset, deviceId: claimedBy.get(asset.id)! });
      }
    }
    for (const [assetId, claimants] of proposals) {
      const asset = assets.find((a) => a.id === assetId)!;
      const [winner, ...others] = [...claimants].sort((a, b) => lastSync(b.device) - lastSync(a.device));
      claimedBy.set(assetId, winner!.device.id);
      result.set(winner!.device.id, { kind: 'matched', asset, by: key, value: winner!.value });
      for (const other of others) {
        result.set(other.device.id, { kind: 'taken', by: key, value: other.value, asset, deviceId: winner!.device.id });
      }
    }
  }
  return result;
}

/** The company's assets by their normalised value for one key; undefined when no mapping names the asset side. */
function indexAssets(
  assets: readonly HaloAsset[],
  key: AssetMatchKey,
  options: { mappings: readonly FieldMapping[]; ignoredSerials: ReadonlySet<string> },
): Map<string, HaloAsset[]> | undefined {
  const target = key === 'intuneId' ? undefined : matchTargetOf(options.mappings, MATCH_KEY_FIELD[key]);
  if (key !== 'intuneId' && !target) return undefined;
  const index = new Map<string, HaloAsset[]>();
  for (const asset of assets) {
    const raw = target ? currentValue(asset, target) : asset.intune_id;
    const value = identifierOf(key, raw ?? '', options.ignoredSerials);
    if (value === '') continue;
    const list = index.get(value) ?? [];
    list.push(asset);
    index.set(value, list);
  }
  return index;
}

function lastSync(device: IntuneDevice): number {
  const at = Date.parse(String(device.values.lastSyncDateTime ?? ''));
  return Number.isNaN(at) ? 0 : at;
}

function sortById(assets: readonly HaloAsset[]): HaloAsset[] {
  return [...assets].sort((a, b) => a.id - b.id);
}

/** The keys to try: the configured ones, or every key whose asset side a field mapping names. */
export function matchKeys(configured: readonly AssetMatchKey[] | undefined, mappings: readonly FieldMapping[]) {
  if (configured) return configured;
  const keys: AssetMatchKey[] = ['intuneId', 'serialNumber', 'azureADDeviceId', 'deviceName'];
  return keys.filter((k) => k === 'intuneId' || matchTargetOf(mappings, MATCH_KEY_FIELD[k]) !== undefined);
}
