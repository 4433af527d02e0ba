import { cleanText, emailDomain, emailKey, isOnMicrosoftDomain, smtpAddresses, usableEmail } from '../common/normalise';
import type { GraphUser, HaloUserWrite } from './types';

/** Every usable address a tenant user is known by (UPN, mail, SMTP proxy addresses), lowercased. */
export function userAddresses(user: GraphUser): Set<string> {
  const { primary, aliases } = smtpAddresses(user.proxyAddresses);
  const all = [user.userPrincipalName, user.mail, primary, ...aliases].map(usableEmail);
  return new Set(all.filter((a): a is string => a !== undefined).map(emailKey));
}

/**
 * The Halo email fields for a user. The primary address is the one mail comes from: the primary `SMTP:` proxy
 * address, else `mail`, else the UPN — each cleaned and validated (a stray space, a zero-width character or a
 * guest's `#EXT#` UPN never reaches Halo), an onmicrosoft.com address only when there is nothing else.
 * email2/email3 come from mail, the UPN and the SMTP aliases: never onmicrosoft.com, never the primary again.
 */
export function contactEmails(user: GraphUser): { emailaddress: string; email2?: string; email3?: string } {
  const { primary, aliases } = smtpAddresses(user.proxyAddresses);
  const candidates = [primary, user.mail, user.userPrincipalName, ...aliases]
    .map(usableEmail)
    .filter((a): a is string => a !== undefined);
  const emailaddress =
    candidates.find((a) => !isOnMicrosoftDomain(emailDomain(a))) ?? candidates[0] ?? cleanText(user.userPrincipalName);
  const seen = new Set([emailKey(emailaddress)]);
  const extra: string[] = [];
  for (const candidate of candidates) {
    const key = emailKey(candidate);
    if (seen.has(key) || isOnMicrosoftDomain(emailDomain(key))) continue;
    seen.add(key);
    extra.push(candidate);
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
