import type { TenantSyncConfig } from '../../config/integration/tenants';
import { domainKey, emailDomain, emailKey, textDiffers } from '../common/normalise';
import type { Change, ContactRef, FieldChange, SkippedUser } from './changes';
import { desiredContactFields, dropUndefined, userAddresses } from './contactFields';
import {
  absenceReason,
  contactEmailKeys,
  creationSkipReason,
  hasNoWayToReach,
  isGeneralUser,
  isKeptActive,
} from './contactRules';
import type { GraphUser, HaloClient, HaloSite, HaloUser, HaloUserWrite, TenantSnapshot } from './types';

export interface ContactPlanInput {
  tenant: TenantSnapshot;
  client: HaloClient;
  /** The company's contacts (Halo users with this client_id). */
  contacts: HaloUser[];
  /** The company's sites. */
  sites: HaloSite[];
  config: TenantSyncConfig;
}

/** Fields compared on paired contacts. A field the Halo snapshot did not read (undefined) is never compared. */
const UPDATED_FIELDS = ['name', 'firstname', 'surname', 'title', 'phonenumber', 'mobilenumber', 'fax'] as const;

/**
 * The contact changes for one matched company. Users are visited in UPN order and contacts in id order, so the
 * plan is the same for the same input. Empty Graph values never clear Halo fields.
 */
export function planContacts(input: ContactPlanInput): { changes: Change[]; skippedUsers: SkippedUser[] } {
  const { tenant, config } = input;
  const rules = config.contacts;
  const contacts = [...input.contacts].sort((a, b) => a.id - b.id);
  const users = [...tenant.users].sort((a, b) => a.userPrincipalName.localeCompare(b.userPrincipalName));
  const present = users.filter((u) => absenceReason(u, rules) === undefined);
  const presentIds = new Set(present.map((u) => u.id.toLowerCase()));
  const byOid = new Map<string, HaloUser>();
  for (const c of contacts) {
    const oid = c.azureoid.trim().toLowerCase();
    if (oid !== '' && !byOid.has(oid)) byOid.set(oid, c);
  }

  const emailIndex = indexByEmail(contacts);
  const changes: Change[] = [];
  const skippedUsers: SkippedUser[] = [];
  const claimed = new Set<number>();
  const presentAddresses = new Set<string>();

  for (const user of present) {
    const addresses = userAddresses(user);
    for (const a of addresses) presentAddresses.add(a);
    const byId = byOid.get(user.id.toLowerCase());
    if (byId) {
      claimed.add(byId.id);
      if (byId.inactive) {
        changes.push(recordChange('reactivateContact', byId, { inactive: false }, reactivateReason(user)));
      }
      pushUpdate(changes, byId, user, rules.updateChanged);
      continue;
    }
    const byEmail = findByEmail(emailIndex, user, addresses, claimed, presentIds);
    if (byEmail) {
      claimed.add(byEmail.id);
      const previous = byEmail.azureoid.trim() === '' ? '' : ` (replacing stale object id ${byEmail.azureoid})`;
      const via = contactEmailKeys(byEmail).find((e) => addresses.has(e));
      changes.push(
        recordChange(
          'pairContact',
          byEmail,
          { azureoid: user.id, inactive: false },
          `email ${via} matches user ${user.userPrincipalName}; pairing with object id ${user.id}${previous}` +
            (byEmail.inactive ? ' and re-activating' : ''),
        ),
      );
      pushUpdate(changes, byEmail, user, rules.updateChanged);
      continue;
    }
    const skip = creationSkipReason(user, rules);
    if (skip !== undefined) {
      skippedUsers.push({ userPrincipalName: user.userPrincipalName, reason: `not created: ${skip}` });
      continue;
    }
    if (!rules.createMissing) {
      skippedUsers.push({ userPrincipalName: user.userPrincipalName, reason: 'not created: createMissing is off' });
      continue;
    }
    changes.push(createChange(user, input));
  }

  for (const user of users) {
    const reason = absenceReason(user, rules);
    if (reason !== undefined)
      skippedUsers.push({ userPrincipalName: user.userPrincipalName, reason: `absent: ${reason}` });
  }

  if (rules.deactivateMissing) {
    const tenantDomains = new Set([tenant.defaultDomain, ...tenant.verifiedDomains].map(domainKey));
    const everyone = new Map(tenant.users.map((u) => [u.id.toLowerCase(), u]));
    for (const contact of contacts) {
      if (claimed.has(contact.id) || contact.inactive || isGeneralUser(contact)) continue;
      if (isKeptActive(contact, rules.keepActiveField)) continue;
      const oid = contact.azureoid.trim().toLowerCase();
      if (oid !== '' && presentIds.has(oid)) continue;
      if (contactEmailKeys(contact).some((e) => presentAddresses.has(e))) continue;
      const domain = emailDomain(contact.emailaddress);
      const inScope = tenantDomains.has(domain);
      if (!inScope && !hasNoWayToReach(contact)) continue;
      const account = oid === '' ? undefined : everyone.get(oid);
      const why = account
        ? `its Microsoft 365 account ${account.userPrincipalName}: ${absenceReason(account, rules)}`
        : inScope
          ? `neither its object id nor its email ${contact.emailaddress} is a present user of the tenant, whose domain ${domain} it uses`
          : 'it has no email address and no phone number';
      changes.push(recordChange('deactivateContact', contact, { inactive: true }, `deactivating: ${why}`));
    }
  }
  return { changes, skippedUsers };
}

function reactivateReason(user: GraphUser): string {
  return `user ${user.userPrincipalName} is enabled${user.assignedLicenses.length > 0 ? ' and licensed' : ''} again`;
}

/** An unclaimed contact with one of the user's addresses, whose object id (if any) is not another present user's. */
function findByEmail(
  byEmail: Map<string, HaloUser[]>,
  user: GraphUser,
  addresses: Set<string>,
  claimed: Set<number>,
  presentIds: Set<string>,
): HaloUser | undefined {
  const upn = emailKey(user.userPrincipalName);
  const candidates = new Set<HaloUser>();
  for (const address of addresses) {
    for (const c of byEmail.get(address) ?? []) {
      const oid = c.azureoid.trim().toLowerCase();
      if (!claimed.has(c.id) && (oid === '' || !presentIds.has(oid))) candidates.add(c);
    }
  }
  const rank = (c: HaloUser) =>
    (emailKey(c.emailaddress) === upn ? 0 : addresses.has(emailKey(c.emailaddress)) ? 1 : 2) * 2 + (c.inactive ? 1 : 0);
  return [...candidates].sort((a, b) => rank(a) - rank(b) || a.id - b.id)[0];
}

function indexByEmail(contacts: HaloUser[]): Map<string, HaloUser[]> {
  const index = new Map<string, HaloUser[]>();
  for (const c of contacts) {
    for (const e of new Set(contactEmailKeys(c))) index.set(e, [...(index.get(e) ?? []), c]);
  }
  return index;
}

function pushUpdate(changes: Change[], contact: HaloUser, user: GraphUser, enabled: boolean): void {
  if (!enabled) return;
  const fields = diffContact(contact, user);
  if (fields.length === 0) return;
  const body: HaloUserWrite = {};
  for (const f of fields) (body as Record<string, string>)[f.field] = f.to;
  const names = fields.map((f) => f.field).join(', ');
  changes.push({
    ...recordChange('updateContact', contact, body, `${names} changed in Microsoft 365 for ${user.userPrincipalName}`),
    fields,
  });
}

/** The fields of a paired contact that differ from the user. Emails compare without case; aliases as a set. */
export function diffContact(contact: HaloUser, user: GraphUser): FieldChange[] {
  const wanted = desiredContactFields(user);
  const out: FieldChange[] = [];
  for (const field of UPDATED_FIELDS) {
    const current = contact[field];
    const next = wanted[field];
    if (current === undefined || next === undefined || !textDiffers(current, next)) continue;
    out.push({ field, from: current, to: next });
  }
  if (wanted.emailaddress !== undefined && emailKey(contact.emailaddress) !== emailKey(wanted.emailaddress)) {
    out.push({ field: 'emailaddress', from: contact.emailaddress, to: wanted.emailaddress });
  }
  if (contact.email2 !== undefined && contact.email3 !== undefined) {
    const known = new Set(contactEmailKeys(contact));
    const aliases = [wanted.email2, wanted.email3].filter((a): a is string => a !== undefined);
    if (aliases.some((a) => !known.has(emailKey(a)))) {
      if (wanted.email2 !== undefined && textDiffers(contact.email2, wanted.email2)) {
        out.push({ field: 'email2', from: contact.email2, to: wanted.email2 });
      }
      if (wanted.email3 !== undefined && textDiffers(contact.email3, wanted.email3)) {
        out.push({ field: 'email3', from: contact.email3, to: wanted.email3 });
      }
    }
  }
  return out;
}

function recordChange<K extends 'pairContact' | 'reactivateContact' | 'deactivateContact' | 'updateContact'>(
  kind: K,
  contact: HaloUser,
  fields: HaloUserWrite,
  reason: string,
) {
  return {
    kind,
    resource: '/Users' as const,
    contact: contactRef(contact),
    body: { id: contact.id, ...fields },
    reason,
  };
}

function contactRef(contact: HaloUser): ContactRef & { id: number } {
  return dropUndefined({
    id: contact.id,
    name: contact.name,
    email: contact.emailaddress,
    phonenumber: contact.phonenumber || undefined,
    mobilenumber: contact.mobilenumber || undefined,
    azureoid: contact.azureoid || undefined,
  });
}

function createChange(user: GraphUser, input: ContactPlanInput): Change {
  const site = siteFor(user, input);
  const body: HaloUserWrite = {
    client_id: input.client.id,
    ...(site ? { site_id: site.id } : {}),
    ...desiredContactFields(user),
    azureoid: user.id,
    inactive: false,
  };
  const siteWhy = site ? `; site ${site.how}` : '; no site known (Halo picks the default)';
  return {
    kind: 'createContact',
    resource: '/Users',
    contact: dropUndefined({
      name: body.name ?? user.userPrincipalName,
      email: body.emailaddress ?? user.userPrincipalName,
      phonenumber: body.phonenumber,
      mobilenumber: body.mobilenumber,
      azureoid: user.id,
    }),
    body,
    reason: `licensed user ${user.userPrincipalName} has no Halo contact${siteWhy}`,
  };
}

/** Street address = site address line 1, else the main site, else the configured default, else the first site. */
function siteFor(user: GraphUser, input: ContactPlanInput): { id: number; how: string } | undefined {
  const sites = [...input.sites].sort((a, b) => a.id - b.id);
  const street = (user.streetAddress ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (street !== '') {
    const byStreet = sites.find((s) => (s.line1 ?? '').trim().toLowerCase().replace(/\s+/g, ' ') === street);
    if (byStreet) return { id: byStreet.id, how: `${byStreet.id} by street address "${user.streetAddress}"` };
  }
  if (input.client.main_site_id !== undefined)
    return { id: input.client.main_site_id, how: `${input.client.main_site_id} (main site)` };
  const fallback = input.config.halo.defaultSiteId;
  if (fallback !== undefined) return { id: fallback, how: `${fallback} (configured default)` };
  const first = sites[0];
  return first ? { id: first.id, how: `${first.id} (the company's first site)` } : undefined;
}
