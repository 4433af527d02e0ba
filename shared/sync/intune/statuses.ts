import type { IntuneSyncConfig } from '../../config/integration/intune';
import type { HaloAsset, IntuneDevice, ListHealth } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether devices absent from the list may be marked deleted this run, and why (shown on the run). */
export interface DeletionGuard {
  mode: 'off' | 'allowed' | 'blocked';
  reason: string;
  /** The count this run compared with, and where it came from. */
  baseline?: { count: number; from: 'lastRun' | 'linkedAssets' };
}

/**
 * A partial list must never retire a fleet: nothing is marked deleted when the list is not complete (a page
 * failed, items were unreadable, Intune's enrolled count is higher), or when the device count fell by more than
 * `maxDropShare` since the last run that passed (on a first run: below the assets already linked to Intune).
 */
export function deletionGuard(input: {
  statuses: IntuneSyncConfig['statuses'];
  health: ListHealth;
  baselineDeviceCount: number | undefined;
  linkedAssets: number;
}): DeletionGuard {
  const { statuses, health } = input;
  const baseline =
    input.baselineDeviceCount !== undefined
      ? { count: input.baselineDeviceCount, from: 'lastRun' as const }
      : { count: input.linkedAssets, from: 'linkedAssets' as const };
  if (statuses.deletedStatusId === undefined) {
    return {
      mode: 'off',
      reason: 'statuses.deletedStatusId is not set: assets of devices gone from Intune are left alone',
      baseline,
    };
  }
  if (!health.complete) {
    return {
      mode: 'blocked',
      reason: `the device list is not complete (${health.problems.join('; ')}): nothing is marked deleted`,
      baseline,
    };
  }
  if (baseline.count > 0) {
    const drop = (baseline.count - health.listed) / baseline.count;
    if (drop > statuses.maxDropShare) {
      const was = baseline.from === 'lastRun' ? 'at the last run' : 'assets linked to Intune in Halo';
      return {
        mode: 'blocked',
        reason:
          `the device count fell from ${baseline.count} (${was}) to ${health.listed} (-${percent(drop)}), more than ` +
          `statuses.maxDropShare ${percent(statuses.maxDropShare)}: nothing is marked deleted. If the devices were ` +
          'really removed, raise maxDropShare for one run.',
        baseline,
      };
    }
  }
  return { mode: 'allowed', reason: 'the list is complete and the device count within the allowed drop', baseline };
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/**
 * When the device was last heard of: its last Intune sync, or its enrolment when it never synced
 * (`0001-01-01…`); undefined when neither is known.
 */
export function lastActivity(device: IntuneDevice): number | undefined {
  for (const value of [device.values.lastSyncDateTime, device.values.enrolledDateTime]) {
    const text = String(value ?? '');
    if (text === '' || text.startsWith('0001-01-01')) continue;
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return at;
  }
  return undefined;
}

/**
 * "Inactive after N days": the device's last Intune sync is more than N × 24 hours before the run started (a
 * rolling window in hours, independent of time zones and calendar days). Without an inactivity rule, or without a
 * known sync time, a device is not inactive.
 */
export function isInactive(device: IntuneDevice, statuses: IntuneSyncConfig['statuses'], now: Date): boolean {
  const at = lastActivity(device);
  if (!statuses.inactive || at === undefined) return false;
  return now.getTime() - at > statuses.inactive.afterDays * DAY_MS;
}

export type StatusChange =
  | { kind: 'recoverAsset'; status_id?: number; inactive?: false; why: string }
  | { kind: 'inactivateAsset'; status_id: number; why: string };

/**
 * What a present device does to its existing asset's status: an asset marked deleted (or inactive) whose device
 * is back gets the recovered status; an active asset whose device stopped syncing gets the inactive status.
 * Statuses set by people (anything else) are left alone: only our own transitions are made.
 */
export function statusChangeFor(
  device: IntuneDevice,
  asset: HaloAsset,
  statuses: IntuneSyncConfig['statuses'],
  now: Date,
): StatusChange | undefined {
  const back = statuses.recoveredStatusId ?? statuses.newStatusId;
  const stale = isInactive(device, statuses, now);
  if (statuses.deletedStatusId !== undefined && asset.status_id === statuses.deletedStatusId) {
    const clearFlag = statuses.deletedSetsInactive && asset.inactive;
    if (back === undefined && !clearFlag) return undefined;
    return {
      kind: 'recoverAsset',
      ...(back !== undefined ? { status_id: stale && statuses.inactive ? statuses.inactive.statusId : back } : {}),
      ...(clearFlag ? { inactive: false as const } : {}),
      why: 'the device is back in Intune',
    };
  }
  if (!statuses.inactive) return undefined;
  if (stale && asset.status_id !== statuses.inactive.statusId) {
    return {
      kind: 'inactivateAsset',
      status_id: statuses.inactive.statusId,
      why: `no Intune sync for more than ${statuses.inactive.afterDays} days (last ${syncText(device)})`,
    };
  }
  if (!stale && asset.status_id === statuses.inactive.statusId && back !== undefined) {
    return { kind: 'recoverAsset', status_id: back, why: `the device synced again (${syncText(device)})` };
  }
  return undefined;
}

/** The status of an asset this run creates. */
export function newAssetStatus(device: IntuneDevice, statuses: IntuneSyncConfig['statuses'], now: Date) {
  if (statuses.inactive && isInactive(device, statuses, now)) return statuses.inactive.statusId;
  return statuses.newStatusId;
}

function syncText(device: IntuneDevice): string {
  const at = lastActivity(device);
  return at === undefined ? 'never' : new Date(at).toISOString();
}
