import { createHash } from 'node:crypto';
import type { DetectedApp, HaloLicence, SoftwareWrite } from './types';

/** Software names compare without case and surrounding space (Halo matches Intune software by name, v2.214+). */
export function softwareKey(name: string): string {
  return name.trim().toLowerCase();
}

export interface SoftwarePlan {
  /** The asset's software, one entry per app and version, in a stable order. */
  entries: SoftwareWrite[];
  /** Names (keys) whose licence this run creates; their entries get the licence id when they are sent. */
  pendingLicences: string[];
  /** What was last written is compared with this (name, version, licensed or not). */
  hash: string;
}

/**
 * A device's detected apps as the asset's software: each app matched by name to a Halo software licence of the
 * company (or one tied to no company); an app no licence is named after gets a new one when `createMissing`, or is
 * listed without a licence.
 */
export function planSoftware(
  apps: readonly DetectedApp[],
  licences: LicenceIndex,
  createMissing: boolean,
): SoftwarePlan {
  const byKey = new Map<string, SoftwareWrite>();
  const pending = new Set<string>();
  for (const app of apps) {
    const name = app.name.trim();
    if (name === '') continue;
    const key = softwareKey(name);
    const version = app.version.trim();
    const entryKey = `${key}\u0000${version}`;
    if (byKey.has(entryKey)) continue;
    const licence = licences.find(key);
    if (licence) byKey.set(entryKey, { name, version, licence_id: licence.id });
    else {
      if (createMissing) pending.add(key);
      byKey.set(entryKey, { name, version });
    }
  }
  const entries = [...byKey.values()].sort(
    (a, b) => softwareKey(a.name).localeCompare(softwareKey(b.name)) || a.version.localeCompare(b.version),
  );
  const linked = (e: SoftwareWrite) => e.licence_id !== undefined || pending.has(softwareKey(e.name));
  const hash = createHash('sha256')
    .update(JSON.stringify(entries.map((e) => [softwareKey(e.name), e.version, linked(e)])))
    .digest('base64url')
    .slice(0, 22);
  return { entries, pendingLicences: [...pending].sort(), hash };
}

export interface LicenceIndex {
  find(key: string): HaloLicence | undefined;
}

/** Licences by name: the company's own first, then those tied to no company. */
export function licenceIndex(licences: readonly HaloLicence[], clientId: number): LicenceIndex {
  const own = new Map<string, HaloLicence>();
  const shared = new Map<string, HaloLicence>();
  for (const licence of [...licences].sort((a, b) => a.id - b.id)) {
    const key = softwareKey(licence.name);
    if (key === '') continue;
    if (licence.client_id === clientId && !own.has(key)) own.set(key, licence);
    if (!licence.client_id && !shared.has(key)) shared.set(key, licence);
  }
  return { find: (key) => own.get(key) ?? shared.get(key) };
}
