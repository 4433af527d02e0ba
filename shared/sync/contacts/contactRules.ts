import type { TenantSyncConfig } from '../../config/integration/tenants';
import { emailKey, nameKey } from '../common/normalise';
import type { GraphUser, HaloUser } from './types';

type ContactsConfig = TenantSyncConfig['contacts'];

/** Why a user does not count as present in the tenant, or undefined when it does. */
export function absenceReason(user: GraphUser, config: ContactsConfig): string | undefined {
  if (!user.accountEnabled) return 'the account is disabled';
  if (!config.includeGuests && isGuest(user)) return "a guest (B2B) account, not one of the tenant's own users";
  if (config.licensedOnly && user.assignedLicenses.length === 0) return 'the user has no licence';
  return undefined;
}

/** Why a present user is never created as a contact, or undefined when it may be. */
export function creationSkipReason(user: GraphUser, config: ContactsConfig): string | undefined {
  const upn = emailKey(user.userPrincipalName);
  const word = config.skipUpnContaining.find((w) => upn.includes(w.toLowerCase()));
  return word === undefined ? undefined : `UPN contains "${word}"`;
}

/** Halo's catch-all contact of every company; a sync never deactivates it. */
export function isGeneralUser(contact: HaloUser): boolean {
  return contact.isGeneralUser === true || nameKey(contact.name) === 'generaluser';
}

/** The keep-active custom field, matched by name with or without its `CF` prefix, by value or display text. */
export function isKeptActive(contact: HaloUser, field: ContactsConfig['keepActiveField']): boolean {
  const wantedName = fieldKey(field.name);
  const wantedValue = field.value.trim().toLowerCase();
  return contact.customfields.some(
    (f) =>
      fieldKey(f.name) === wantedName &&
      [f.value, f.display].some((v) => v !== undefined && v.trim().toLowerCase() === wantedValue),
  );
}

function fieldKey(name: string): string {
  return nameKey(name).replace(/^cf/, '');
}

export function hasNoWayToReach(contact: HaloUser): boolean {
  return [contact.emailaddress, contact.email2, contact.email3, contact.phonenumber, contact.mobilenumber].every(
    (v) => (v ?? '').trim() === '',
  );
}

export function contactEmailKeys(contact: HaloUser): string[] {
  return [contact.emailaddress, contact.email2, contact.email3].map(emailKey).filter((e) => e !== '');
}

/** A B2B guest: `userType: Guest`, or (when Graph did not say) a `#EXT#` UPN. */
export function isGuest(user: Pick<GraphUser, 'userType' | 'userPrincipalName'>): boolean {
  if (user.userType) return user.userType.toLowerCase() === 'guest';
  return /#EXT#/i.test(user.userPrincipalName);
}
