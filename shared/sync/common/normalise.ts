/** Small string rules shared by the matchers. All pure. */

/** Company and tenant names compare without case and without any whitespace. */
export function nameKey(name: string | null | undefined): string {
  return (name ?? '').toLowerCase().replace(/\s+/g, '');
}

export function emailKey(email: string | null | undefined): string {
  return cleanText(email).toLowerCase();
}

/** Trimmed, without the invisible characters that come with pasted directory values (zero-width, BOM). */
export function cleanText(value: string | null | undefined): string {
  return (value ?? '').replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim();
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/**
 * A directory address fit to be a Halo contact's email: cleaned (see cleanText), one `local@domain.tld` with no
 * spaces, brackets or separators left in it, and not a B2B guest's `#EXT#` UPN. Undefined otherwise.
 */
export function usableEmail(value: string | null | undefined): string | undefined {
  const address = cleanText(value);
  if (!EMAIL.test(address) || /#EXT#/i.test(address)) return undefined;
  return address;
}

export function domainKey(domain: string | null | undefined): string {
  return (domain ?? '').trim().toLowerCase().replace(/\.$/, '');
}

/** The domain part of an email address, lowercased; '' when there is none. */
export function emailDomain(email: string | null | undefined): string {
  const key = emailKey(email);
  const at = key.lastIndexOf('@');
  return at < 0 ? '' : domainKey(key.slice(at + 1));
}

/** The host of a company website: scheme, credentials, path, query, port and a leading `www.` stripped. */
export function websiteHost(website: string | null | undefined): string {
  let rest = (website ?? '').trim().toLowerCase();
  if (rest === '') return '';
  rest = rest.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  rest = rest.split(/[/?#]/, 1)[0] ?? '';
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  rest = rest.replace(/:\d*$/, '');
  return domainKey(rest.replace(/^www\./, ''));
}

export function isOnMicrosoftDomain(domain: string): boolean {
  return domainKey(domain).endsWith('.onmicrosoft.com');
}

/** SMTP addresses from Exchange proxy addresses (`SMTP:` primary first in its own order, `smtp:` aliases). */
export function smtpAddresses(proxyAddresses: readonly string[]): { primary?: string; aliases: string[] } {
  let primary: string | undefined;
  const aliases: string[] = [];
  for (const entry of proxyAddresses) {
    const match = /^smtp:(.+)$/i.exec(entry.trim());
    if (!match) continue;
    const address = match[1]!.trim();
    if (entry.trim().startsWith('SMTP:') && primary === undefined) primary = address;
    else aliases.push(address);
  }
  return primary === undefined ? { aliases } : { primary, aliases };
}

/** Whether two optional text values differ, ignoring surrounding whitespace. */
export function textDiffers(current: string | null | undefined, wanted: string | null | undefined): boolean {
  return (current ?? '').trim() !== (wanted ?? '').trim();
}
