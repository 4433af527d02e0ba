import { timingSafeEqual } from 'node:crypto';
import type { AuthLevel } from '../../shared/runtime/registry';

export interface HostKeys {
  /** Accepted by `function` level routes (`x-functions-key` header or `?code=`). */
  readonly functionKey: string;
  /** Accepted everywhere; the only key `admin` routes accept. */
  readonly masterKey: string;
}

/** Pure: whether a request carrying `presentedKey` (header first, then `code`) may call a route of this level. */
export function isAuthorized(level: AuthLevel, presentedKey: string | undefined, keys: HostKeys): boolean {
  if (level === 'anonymous') return true;
  if (!presentedKey) return false;
  if (sameSecret(presentedKey, keys.masterKey)) return true;
  return level === 'function' && sameSecret(presentedKey, keys.functionKey);
}

export function presentedKey(headerValue: string | undefined, codeQuery: string | null): string | undefined {
  return headerValue || codeQuery || undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && b.length > 0 && timingSafeEqual(left, right);
}
