import { emailDomain, emailKey, isOnMicrosoftDomain, smtpAddresses } from '../common/normalise';
import type { GraphUser, HaloUserWrite } from './types';

/** Every address a tenant user is known by (UPN, mail, SMTP proxy addresses), lowercased. */
export function userAddresses(user: GraphUser): Set<string> {
  const { primary, aliases } = smtpAddresses(user.proxyAddresses);
  const all = [user.userPrincipalName, user.mail, primary, ...aliases].map(emailKey).filter((a) => a !== '');
  return new Set(all);
}

/**
 * The Halo email fields for a user: the UPN is the primary address (as in the community script; pairing
 * matches UPN = email address), unless the UPN is an onmicrosoft.com one and the user has a mail address.
 * email2/email3 come from mail and the SMTP proxy addresses, never onmicrosoft.com, never the primary again.
 */
export function contactEmails(user: GraphUser): { emailaddress: string; email2?: string; email3?: string } {
  const upn = user.userPrincipalName.trim();
  const mail = (user.mail ?? '').trim();
  const emailaddress = isOnMicrosoftDomain(emailDomain(upn)) && mail !== '' ? mail : upn;
  const { primary, aliases } = smtpAddresses(user.proxyAddresses);
  const seen = new Set([emailKey(emailaddress)]);
  const extra: string[] = [];
  for (const candidate of [mail, primary ?? '', upn, ...aliases]) {
    const key = emailKey(candidate);
    if (key === '' || seen.has(key) || isOnMicrosoftDomain(emailDomain(key))) continue;
    seen.add(key);
    extra.push(candidate.trim());
  }
  const out: { emailaddress: string; email2?: string; email3?: string } = { emailaddress };
  if (extra[0] !== undefined) out.email2 = extra[0];
  if (extra[1] !== undefined) out.email3 = extra[1];
  return out;
}

/** What the Halo contact of a tenant user should say. Empty Graph values are left out (never written). */
export function desiredContactFields(user: GraphUser): HaloUserWrite {
  const fullName = [user.givenName, user.surname].filter((p) => p && p.trim() !== '').join(' ');
  const fields: HaloUserWrite = {
    name: nonEmpty(user.displayName) ?? nonEmpty(fullName) ?? user.userPrincipalName,
    firstname: nonEmpty(user.givenName),
    surname: nonEmpty(user.surname),
    title: nonEmpty(user.jobTitle),
    phonenumber: nonEmpty(user.businessPhones[0]),
    mobilenumber: nonEmpty(user.mobilePhone),
    fax: nonEmpty(user.faxNumber),
    ...contactEmails(user),
  };
  return dropUndefined(fields);
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
