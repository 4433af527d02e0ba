import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Checks an `Authorization: Basic …` header against the credentials configured on Halo's webhook.
 * Both sides are hashed first so the comparison takes the same time whatever the lengths, and a wrong
 * username costs the same as a wrong password. A missing or malformed header is simply false.
 */
export function checkBasicAuth(authorizationHeader: string | null | undefined, expected: BasicCredentials): boolean {
  const presented = decodeBasic(authorizationHeader);
  const wanted = `${expected.username}:${expected.password}`;
  // Compare even when the header is unusable, so a malformed header takes as long as a wrong one.
  const equal = timingSafeEqual(digest(presented ?? ''), digest(wanted));
  return presented !== undefined && equal;
}

function decodeBasic(header: string | null | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^\s*Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.includes(':') ? decoded : undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
