import { type FieldReference, MANAGER, parseFieldExpression } from '../../config/integration/entraFields';
import { smtpAddresses } from '../common/normalise';
import type { Directory, DirUser } from './directory';

/**
 * The text value of a field expression for a user (see entraFields.ts): the first alternative that is not empty,
 * or undefined. Collections read as one value (the first phone, the primary SMTP address, the licence sku ids
 * joined), booleans as `true`/`false`, `manager` as the manager's object id, `manager.<p>` as the manager's `<p>`.
 */
export function fieldValue(user: DirUser, expression: string, directory: Directory): string | undefined {
  const parsed = parseFieldExpression(expression);
  if (!parsed.ok) return undefined;
  for (const ref of parsed.refs) {
    const value = referenceValue(user, ref, directory);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function referenceValue(user: DirUser, ref: FieldReference, directory: Directory): string | undefined {
  if (ref.viaManager) {
    if (!user.managerId) return undefined;
    if (ref.member === undefined) return user.managerId;
    const manager = directory.users[user.managerId];
    return manager ? propertyValue(manager, ref.member, undefined) : undefined;
  }
  return propertyValue(user, ref.property, ref.member);
}

function propertyValue(user: DirUser, property: string, member: string | undefined): string | undefined {
  if (property === 'id') return user.id;
  const raw = property in user.props ? user.props[property] : user.extra?.[property];
  const value = member !== undefined ? memberOf(raw, member) : raw;
  return asText(property, value);
}

function memberOf(value: unknown, member: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[member]
    : undefined;
}

function asText(property: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (property === 'proxyAddresses') return smtpAddresses(value.map(String)).primary;
    if (property === 'assignedLicenses') {
      return value
        .map((l) => String((l as { skuId?: unknown } | null)?.skuId ?? ''))
        .filter(Boolean)
        .join(',');
    }
    const first = value.find((v) => typeof v === 'string' && v.trim() !== '');
    return typeof first === 'string' ? first.trim() : undefined;
  }
  return undefined;
}

/** Whether the user is a guest (userType Guest). */
export function isGuest(user: DirUser): boolean {
  return String(user.props.userType ?? '').toLowerCase() === 'guest';
}

/** Whether the user has at least one licence (assignedLicenses). */
export function isLicensed(user: DirUser): boolean {
  return Array.isArray(user.props.assignedLicenses) && user.props.assignedLicenses.length > 0;
}

/** accountEnabled: only an explicit false counts as disabled (an unselected property reads as enabled). */
export function isEnabled(user: DirUser): boolean {
  return user.props.accountEnabled !== false;
}

/** A short name for people: the UPN, else the display name, else the id. */
export function userLabel(user: DirUser): string {
  return String(user.props.userPrincipalName ?? user.props.displayName ?? user.id);
}

export { MANAGER };
