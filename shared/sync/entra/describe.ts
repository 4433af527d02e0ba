import type { SourceState } from '../engine/tenantState';
import type { EntraChangeKind, EntraPlan, ReadSummary } from './changes';

/** What a connection's status row shows besides its counts. */
export function entraSourceDetails(plan: EntraPlan): Record<string, unknown> {
  return {
    connection: plan.connectionName,
    read: plan.read,
    usersProcessed: plan.log.length,
    problems: plan.problems.length,
    firstProblems: plan.problems.slice(0, 5),
  };
}

/** One finished connection, for the CLI and the demo. */
export function describeEntraSource(state: SourceState): string {
  const read = state.read as ReadSummary | undefined;
  const c = (state.changes ?? {}) as Partial<Record<EntraChangeKind, number>>;
  const n = (kind: EntraChangeKind) => c[kind] ?? 0;
  const how = read
    ? `${read.users === 'full' ? 'full read' : 'delta'} (${read.usersInRound} user(s), ${read.groupsInRound} group(s) in the round${read.why.length ? `: ${read.why.join('; ')}` : ''})`
    : 'read';
  const parts = [
    `agents ${n('createAgent')} created, ${n('updateAgent')} updated, ${n('deactivateAgent')} deactivated, ${n('reactivateAgent')} reactivated`,
    `users ${n('createUser')} created, ${n('updateUser')} updated, ${n('deactivateUser')} deactivated, ${n('reactivateUser')} reactivated`,
  ];
  if (n('createSite')) parts.push(`${n('createSite')} site(s) created`);
  if (n('addCabMember')) parts.push(`${n('addCabMember')} CAB member(s) added`);
  if (n('reassignTicket')) parts.push(`${n('reassignTicket')} ticket(s) reassigned`);
  if (n('createLicence') || n('updateLicence'))
    parts.push(`licences ${n('createLicence')} created, ${n('updateLicence')} updated`);
  if (n('linkLicences')) parts.push(`${n('linkLicences')} user(s) linked to their licences`);
  if (n('assignLicence')) parts.push(`${n('assignLicence')} licence assignment(s) sent to Entra`);
  const applied = state.mode === 'apply' ? `; ${state.appliedChanges ?? 0} applied` : ' (planned)';
  const problems =
    Number(state.problems ?? 0) > 0
      ? `; ${state.problems} problem(s), e.g. ${(state.firstProblems as string[] | undefined)?.[0] ?? ''}`
      : '';
  const quiet = read?.halo === 'notNeeded' ? '; nothing changed in Entra: Halo not read' : '';
  return `${how}; ${parts.join('; ')}${applied}${quiet}${problems}`;
}

/** A finished run's totals. */
export function describeEntraTotals(
  counts: Readonly<Record<string, number>>,
  summary: Readonly<Record<string, unknown>>,
): string[] {
  const lines = [
    `Entra ID: ${counts.usersProcessed ?? 0} user(s) processed; ${counts.appliedChanges ?? 0} change(s) applied; ${counts.problems ?? 0} problem(s)`,
  ];
  const warnings = summary.untrackedFields as { path: string; property: string }[] | undefined;
  if (warnings && warnings.length > 0) {
    lines.push(
      `fields delta cannot track (read by a plain GET, refreshed by the full read): ${warnings.map((w) => `${w.property} at ${w.path}`).join('; ')}`,
    );
  }
  return lines;
}
