import type { EntraConnection } from '../../config/integration/entra';
import { fieldExpressionsOf } from '../../config/integration/entra';
import {
  isTrackedProperty,
  MANAGER,
  parseFieldExpression,
  TRACKED_USER_PROPERTIES,
} from '../../config/integration/entraFields';

/** What the sync itself reads of every user, whatever the mappings. */
const SYSTEM_PROPERTIES = ['displayName', 'userPrincipalName', 'mail', 'accountEnabled', 'userType'];

/** Groups: only the name (mappings name groups) and the direct members are listened to. */
export const GROUP_SELECT = ['displayName', 'members'] as const;

export interface UserSelection {
  /** `$select` of the users delta query (tracked properties; `manager` when the manager is used). */
  readonly select: string[];
  /** Properties delta cannot track that the mappings use: read by a plain GET (see readDirectory.ts). */
  readonly untracked: string[];
}

/**
 * The users `$select`: every property the sync knows (`allChanges`), or only those the connection's mappings,
 * filters and matching use plus what the sync itself needs (`mappedFields`, Halo's "listen to mapped fields
 * only"). Sorted, so that a changed selection is noticed by comparing it (a new selection needs a full read).
 */
export function userSelection(connection: EntraConnection): UserSelection {
  const used = new Set<string>(SYSTEM_PROPERTIES);
  const untracked = new Set<string>();
  let managerUsed = connection.roles.noManagerUserRoleId !== undefined;
  if (connection.syncs.licences || connection.siteMappings.some((m) => m.externalUsers === 'licensedOnly'))
    used.add('assignedLicenses');
  for (const [, expression] of fieldExpressionsOf(connection)) {
    const parsed = parseFieldExpression(expression);
    if (!parsed.ok) continue;
    for (const ref of parsed.refs) {
      const property = ref.viaManager ? ref.member : ref.property;
      if (ref.viaManager) managerUsed = true;
      if (property === undefined || property === 'id' || property === MANAGER) continue;
      if (isTrackedProperty(property)) used.add(property);
      else untracked.add(property);
    }
  }
  const base = connection.syncMethod === 'allChanges' ? [...TRACKED_USER_PROPERTIES] : [...used];
  const select = new Set(base.filter((p) => p !== 'id'));
  if (managerUsed || connection.syncMethod === 'allChanges') select.add(MANAGER);
  return { select: [...select].sort(), untracked: [...untracked].sort() };
}

/** A short fingerprint of the selection: a different one means the stored delta links select something else. */
export function selectionKey(selection: UserSelection): string {
  return `users:${selection.select.join(',')};untracked:${selection.untracked.join(',')};groups:${GROUP_SELECT.join(',')}`;
}
