import type { SourceState } from '../engine/tenantState';
import type { IntuneChangeKind } from './changes';

type Counts = Partial<Record<IntuneChangeKind, number>>;

function changeParts(c: Counts): string[] {
  return [
    `${c.createAsset ?? 0} created`,
    `${c.updateAsset ?? 0} updated`,
    `${c.retireAsset ?? 0} marked deleted`,
    `${c.recoverAsset ?? 0} recovered`,
    `${c.inactivateAsset ?? 0} inactive`,
  ];
}

/** One finished tenant, for the CLI and the demo: its company, what its devices did, and why deletes held back. */
export function describeIntuneSource(state: SourceState): string {
  const company = state.company as Record<string, unknown> | undefined;
  if (!company) return 'done';
  if (!('clientId' in company)) return `unmatched: ${company.unmatched}. ${company.instruction}`;
  const devices = (state.devices ?? {}) as { listed?: number; excludedDefender?: number; skipped?: number };
  const c = (state.changes ?? {}) as Counts;
  const parts = changeParts(c);
  if (c.createAssetType) parts.push(`${c.createAssetType} asset type(s) created`);
  if (c.createLicence) parts.push(`${c.createLicence} licence(s) created`);
  const skipped = (devices.skipped ?? 0) - (devices.excludedDefender ?? 0);
  const left = [
    devices.excludedDefender ? `${devices.excludedDefender} excluded (Defender only)` : '',
    skipped > 0 ? `${skipped} skipped (see skipped.csv)` : '',
  ].filter(Boolean);
  const applied = state.mode === 'apply' ? `; ${state.appliedChanges ?? 0} applied` : ' (planned)';
  const deletion = state.deletion as { mode?: string; reason?: string } | undefined;
  const held = deletion?.mode === 'blocked' ? `; deletions held back: ${deletion.reason}` : '';
  return (
    `${company.by === 'connection' ? 'connection' : `matched by ${company.by}`} to "${company.clientName}" ` +
    `(#${company.clientId}); ${devices.listed ?? 0} devices: ${parts.join(', ')}` +
    `${left.length ? `; ${left.join(', ')}` : ''}${applied}${held}`
  );
}

/** A finished run's totals, and how Halo was read. */
export function describeIntuneTotals(
  counts: Readonly<Record<string, number>>,
  summary: Readonly<Record<string, unknown>>,
): string[] {
  const lines = [
    `assets: ${changeParts(counts as Counts).join(', ')}; ${counts.excludedDefender ?? 0} Defender-only device(s) ` +
      `excluded; ${counts.appliedChanges ?? 0} change(s) applied`,
  ];
  const halo = summary.halo as Record<string, unknown> | undefined;
  if (halo) {
    lines.push(
      `Halo read once: ${halo.companies} companies, ${halo.users} users (by ${halo.usersFrom}), ${halo.assetTypes} ` +
        `asset types, ${halo.licences} software licences; then one paged asset read per company`,
    );
  }
  return lines;
}
