import { createHash } from 'node:crypto';

/** Azure Tables caps PartitionKey and RowKey at 1 KiB; keep well under it (UTF-16 code units, as the service counts). */
const MAX_KEY_LENGTH = 512;
const FORBIDDEN = /[/\\#?%\u0000-\u001f\u007f-\u009f]/g;

/**
 * A PartitionKey / RowKey from any text. The characters Tables forbids (`/ \ # ?`, control characters) are
 * percent-encoded, and so is `%` itself, so that two different texts never share a key. Over-long text is cut and
 * suffixed with a hash of the whole text.
 */
export function safeKey(text: string): string {
  const encoded = text.replace(FORBIDDEN, (ch) => {
    const code = ch.charCodeAt(0);
    return `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  });
  if (encoded.length <= MAX_KEY_LENGTH) return encoded;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 32);
  return `${encoded.slice(0, MAX_KEY_LENGTH - 34)}~~${hash}`;
}

/**
 * A RowKey that sorts newest first (Tables list rows in ascending key order): the inverted epoch milliseconds,
 * zero-padded, then a random suffix so that rows of the same millisecond do not collide.
 */
export function newestFirstKey(at: Date, suffix: string): string {
  const inverted = (8_640_000_000_000_000 - at.getTime()).toString().padStart(16, '0');
  return `${inverted}-${safeKey(suffix)}`;
}
