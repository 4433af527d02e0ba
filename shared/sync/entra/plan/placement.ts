import type { FieldFilter, SiteMapping } from '../../../config/integration/entra';
import type { IdOrRef } from '../changes';
import type { DirUser } from '../directory';
import { fieldValue, isGuest, isLicensed } from '../fieldValues';
import type { PlanIndex } from './context';

/** Where the site mappings put a user: as an agent (the *agent* site), and as a user on a site. */
export interface Placement {
  readonly agent?: { readonly label: string; readonly licenceType: 'named' | 'concurrent' | 'noChange' };
  readonly site?: {
    readonly label: string;
    readonly siteId: IdOrRef;
    /** The site is created by this plan (an organisation mapping met a new value). */
    readonly create?: { readonly clientId: number; readonly name: string };
    readonly userRoleId?: number;
  };
  /** The mappings that matched, in words (for the inbound log). */
  readonly matched: readonly string[];
  /** Why a mapping that covers the user placed nothing (a site not found, an empty field, …). */
  readonly notes: readonly string[];
}

/** The mappings in the order Halo applies them: by `sequence`, then as listed. */
export function orderedMappings(mappings: readonly SiteMapping[]): { mapping: SiteMapping; index: number }[] {
  return mappings
    .map((mapping, index) => ({ mapping, index }))
    .sort((a, b) => (a.mapping.sequence ?? a.index) - (b.mapping.sequence ?? b.index) || a.index - b.index);
}

/**
 * Tries the site mappings in sequence. The first agent mapping that covers the user makes it an agent; the first
 * other mapping that yields a site places it as a user: (a) the site named, (b) the site under the client named
 * after the field's value (created when missing), (c) the site whose field equals the user's (or the default).
 */
export function place(user: DirUser, index: PlanIndex): Placement {
  const { connection } = index.input;
  const matched: string[] = [];
  const notes: string[] = [];
  let agent: Placement['agent'];
  let site: Placement['site'];
  for (const { mapping, index: i } of orderedMappings(connection.siteMappings)) {
    const label = describeMapping(mapping, i);
    const scope = inScope(user, mapping, index);
    if (!scope.ok) continue;
    if (mapping.type === 'existingSite' && mapping.siteId === 'agent') {
      if (agent) continue;
      agent = { label, licenceType: mapping.licenceType };
      matched.push(label);
      continue;
    }
    if (site) continue;
    const placed = siteOf(user, mapping, index);
    if ('note' in placed) {
      notes.push(`${label}: ${placed.note}`);
      continue;
    }
    site = { label, ...placed, ...(mapping.userRoleId !== undefined ? { userRoleId: mapping.userRoleId } : {}) };
    matched.push(`${label} → site ${placed.create ? `"${placed.create.name}" (new)` : `#${String(placed.siteId)}`}`);
  }
  return { ...(agent ? { agent } : {}), ...(site ? { site } : {}), matched, notes };
}

function inScope(user: DirUser, mapping: SiteMapping, index: PlanIndex): { ok: boolean } {
  if (mapping.group !== undefined && !index.groupsOf(user.id).has(mapping.group.trim())) return { ok: false };
  if (isGuest(user)) {
    if (mapping.externalUsers === 'none') return { ok: false };
    if (mapping.externalUsers === 'licensedOnly' && !isLicensed(user)) return { ok: false };
  }
  return { ok: mapping.filters.every((f) => filterHolds(user, f, index)) };
}

export function filterHolds(user: DirUser, filter: FieldFilter, index: PlanIndex): boolean {
  const value = (fieldValue(user, filter.field, index.input.directory) ?? '').toLowerCase();
  const wanted = filter.value.trim().toLowerCase();
  switch (filter.operator) {
    case 'equals':
      return value === wanted;
    case 'notEquals':
      return value !== wanted;
    case 'contains':
      return value.includes(wanted);
    case 'startsWith':
      return value.startsWith(wanted);
    case 'endsWith':
      return value.endsWith(wanted);
    case 'isEmpty':
      return value === '';
    case 'isNotEmpty':
      return value !== '';
  }
}

type SitePlacement = { siteId: IdOrRef; create?: { clientId: number; name: string } } | { note: string };

function siteOf(user: DirUser, mapping: SiteMapping, index: PlanIndex): SitePlacement {
  const sites = index.input.halo.sites;
  switch (mapping.type) {
    case 'existingSite': {
      const site = index.siteById.get(mapping.siteId as number);
      return site && !site.inactive
        ? { siteId: site.id }
        : { note: `site #${mapping.siteId} is not an active Halo site` };
    }
    case 'organisation': {
      const value = fieldValue(user, mapping.field, index.input.directory);
      if (!value) return { note: `${mapping.field} is empty` };
      const existing = sites.find(
        (s) => s.client_id === mapping.clientId && s.name.trim().toLowerCase() === value.toLowerCase(),
      );
      if (existing) return { siteId: existing.id };
      const name = value.trim();
      return {
        siteId: { $ref: 'site', clientId: mapping.clientId, name },
        create: { clientId: mapping.clientId, name },
      };
    }
    case 'matchField': {
      const raw = fieldValue(user, mapping.userField, index.input.directory) ?? '';
      const value = (mapping.siteField === 'emaildomain' ? raw.slice(raw.lastIndexOf('@') + 1) : raw)
        .trim()
        .toLowerCase();
      const found = value
        ? sites.filter(
            (s) =>
              !s.inactive &&
              String(s[mapping.siteField] ?? '')
                .trim()
                .toLowerCase() === value,
          )
        : [];
      if (found.length === 1) return { siteId: found[0]!.id };
      const why =
        found.length > 1
          ? `${found.length} sites have ${mapping.siteField} "${value}" (a tie is never a match)`
          : `no site has ${mapping.siteField} "${value}"`;
      if (mapping.noMatch === 'skip') return { note: `${why}; the mapping skips the user` };
      return { siteId: mapping.noMatch.siteId };
    }
  }
}

export function describeMapping(mapping: SiteMapping, i: number): string {
  const scope = [
    mapping.group !== undefined ? `group "${mapping.group}"` : '',
    mapping.filters.length > 0 ? `${mapping.filters.length} filter(s)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const head =
    mapping.type === 'existingSite'
      ? mapping.siteId === 'agent'
        ? `agent mapping #${i + 1}`
        : `site mapping #${i + 1} (site #${mapping.siteId})`
      : mapping.type === 'organisation'
        ? `site mapping #${i + 1} (client #${mapping.clientId} by ${mapping.field})`
        : `site mapping #${i + 1} (site ${mapping.siteField} = ${mapping.userField})`;
  return scope ? `${head} [${scope}]` : head;
}
