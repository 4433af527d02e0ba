/**
 * What the Entra ID sync can read from a Microsoft Graph user, and whether `users/delta` can track it
 * (entra-intune.md §A1.4). Field expressions in the config are a property (`department`), a property's member
 * (`onPremisesExtensionAttributes.extensionAttribute3`, `signInActivity.lastSignInDateTime`), the manager's
 * property (`manager.mail`), or alternatives tried in order (`mail|userPrincipalName`: the first that is not empty).
 */

/** Properties `users/delta` accepts in `$select` and tracks: a change to one of them brings the user back. */
export const TRACKED_USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'department',
  'companyName',
  'employeeId',
  'employeeType',
  'officeLocation',
  'mobilePhone',
  'businessPhones',
  'faxNumber',
  'streetAddress',
  'city',
  'state',
  'postalCode',
  'country',
  'usageLocation',
  'preferredLanguage',
  'accountEnabled',
  'userType',
  'creationType',
  'externalUserState',
  'assignedLicenses',
  'proxyAddresses',
  'otherMails',
  'onPremisesSyncEnabled',
  'onPremisesSamAccountName',
  'onPremisesUserPrincipalName',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesImmutableId',
  'onPremisesSecurityIdentifier',
  'onPremisesExtensionAttributes',
] as const;

/**
 * Properties `users/delta` refuses in `$select` (400 "…not supported for the following properties") or cannot
 * track: read with a plain `GET /users` instead: for every user on a full read, for the changed users on a delta
 * round. Halo calls these "incompatible fields" (they are highlighted when its sync method listens to mapped
 * fields only). `signInActivity` needs `AuditLog.Read.All` and Entra ID P1/P2.
 */
export const UNTRACKED_USER_PROPERTIES = [
  'signInActivity',
  'birthday',
  'aboutMe',
  'skills',
  'interests',
  'pastProjects',
  'responsibilities',
  'schools',
  'mySite',
  'preferredName',
  'hireDate',
  'employeeHireDate',
  'employeeLeaveDateTime',
] as const;

/** Properties whose value is a collection: the sync reads the first (businessPhones) or the primary one. */
export const COLLECTION_PROPERTIES = new Set(['businessPhones', 'otherMails', 'proxyAddresses', 'assignedLicenses']);

const TRACKED = new Set<string>(TRACKED_USER_PROPERTIES);
const UNTRACKED = new Set<string>(UNTRACKED_USER_PROPERTIES);

/** The manager relationship: `manager` (the manager's id, for an agent's line manager) or `manager.<property>`. */
export const MANAGER = 'manager';

export interface FieldReference {
  /** The top-level user property read (`onPremisesExtensionAttributes` for `…extensionAttribute3`). */
  readonly property: string;
  /** The member of an object property, or the manager's property. */
  readonly member?: string;
  /** True for `manager` and `manager.<property>`. */
  readonly viaManager: boolean;
}

/** The references of one field expression (alternatives split), or the problem with it. */
export function parseFieldExpression(
  expression: string,
): { ok: true; refs: FieldReference[] } | { ok: false; problem: string } {
  const refs: FieldReference[] = [];
  for (const raw of expression.split('|')) {
    const part = raw.trim();
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/.test(part)) {
      return {
        ok: false,
        problem: `"${part}" is not a user property (e.g. "mail", "onPremisesExtensionAttributes.extensionAttribute1", "manager.mail")`,
      };
    }
    const [head, member] = part.split('.') as [string, string | undefined];
    if (head === MANAGER) {
      if (member !== undefined && !isKnownProperty(member)) return { ok: false, problem: unknownProperty(member) };
      refs.push({ property: MANAGER, ...(member ? { member } : {}), viaManager: true });
      continue;
    }
    if (!isKnownProperty(head)) return { ok: false, problem: unknownProperty(head) };
    refs.push({ property: head, ...(member ? { member } : {}), viaManager: false });
  }
  return { ok: true, refs };
}

export function isKnownProperty(property: string): boolean {
  return TRACKED.has(property) || UNTRACKED.has(property);
}

/** Whether `users/delta` can track the property (else it is read by a plain GET: see UNTRACKED_USER_PROPERTIES). */
export function isTrackedProperty(property: string): boolean {
  return TRACKED.has(property);
}

function unknownProperty(property: string): string {
  return `"${property}" is not a Microsoft Graph user property the sync can read; known: ${[...TRACKED_USER_PROPERTIES, ...UNTRACKED_USER_PROPERTIES].join(', ')}`;
}
