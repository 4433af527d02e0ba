import type { SourceState } from '../engine/tenantState';
import type { ChangeKind } from './changes';

/** One finished tenant, for the CLI and the demo: how its company matched and what changed. */
export function describeTenant(tenant: SourceState): string {
  const match = tenant.match as Record<string, unknown> | undefined;
  if (!match) return 'done';
  if (!('clientId' in match)) return `unmatched: ${match.unmatched}. ${match.instruction}`;
  const c = (tenant.changes ?? {}) as Partial<Record<ChangeKind, number>>;
  const parts = [
    `${c.createContact ?? 0} created`,
    `${(c.pairContact ?? 0) + (c.reactivateContact ?? 0)} paired`,
    `${c.updateContact ?? 0} updated`,
    `${c.deactivateContact ?? 0} deactivated`,
  ];
  if (c.linkTenant) parts.push('tenant linked');
  const applied = tenant.mode === 'apply' ? `; ${tenant.appliedChanges ?? 0} applied` : ' (planned)';
  return `matched by ${match.by} to "${match.clientName}" (#${match.clientId}); ${parts.join(', ')}${applied}`;
}

interface HaloReadSummary {
  companies: number;
  sites: number;
  contacts: number;
  contactsFrom: string;
}

/** A finished run's totals, and how Halo was read. */
export function describeTotals(
  counts: Readonly<Record<string, number>>,
  summary: Readonly<Record<string, unknown>>,
): string[] {
  const lines = [
    `contacts: ${counts.createContact ?? 0} created, ${(counts.pairContact ?? 0) + (counts.reactivateContact ?? 0)} paired, ` +
      `${counts.updateContact ?? 0} updated, ${counts.deactivateContact ?? 0} deactivated; ` +
      `${counts.linkTenant ?? 0} tenant(s) linked; ${counts.appliedChanges ?? 0} change(s) applied`,
  ];
  const halo = summary.halo as HaloReadSummary | undefined;
  if (halo) {
    lines.push(
      `Halo read once: ${halo.companies} companies, ${halo.sites} sites, ${halo.contacts} contacts (contacts by ${halo.contactsFrom})`,
    );
  }
  return lines;
}
