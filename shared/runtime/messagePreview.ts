import { isStrictBase64 } from './base64';
import { redact } from './redact';

/** How long a queue message's preview may be (characters, before the size note). */
export const PREVIEW_CHARS = 400;
/** Secrets are masked over this much more text than is shown, so that one cut at the end is still masked whole. */
const MASK_MARGIN_CHARS = 4096;
/** How deep an object is followed when it is shown as JSON; deeper parts show as `…`. */
const PREVIEW_DEPTH = 12;
const BINARY_HEAD_BYTES = 48;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A readable, bounded, secret-masked one-line preview of a queue message of any shape: text, base64 text (shown
 * decoded), bytes, binary, a parsed value however deep or large, or nothing. Pure and total: it never throws, and
 * its cost is bounded whatever it is given, so a poison path that calls it cannot fail because of the message.
 */
export function previewMessage(message: unknown, secrets: readonly string[] = [], maxChars = PREVIEW_CHARS): string {
  const { text, total, unit } = describe(message, maxChars + MASK_MARGIN_CHARS);
  const masked = escapeControls(redact(text, secrets)).replace(/\s+/g, ' ').trim();
  const shown = (masked.length > maxChars ? `${masked.slice(0, maxChars - 1)}…` : masked) || '(empty)';
  if (unit) return `${shown} [${total} ${unit}]`;
  return total > maxChars ? `${shown} [${total} characters]` : shown;
}

interface Described {
  /** At most `window` characters of the message as text. */
  readonly text: string;
  /** How big the whole message is: characters, or `unit` when it is not text. */
  readonly total: number;
  readonly unit?: string;
}

function describe(message: unknown, window: number): Described {
  if (message === undefined || message === null) return { text: String(message), total: 0 };
  if (typeof message === 'string') return describeText(message, window);
  if (message instanceof Uint8Array) return describeBytes(message, window, 'bytes');
  if (typeof message !== 'object') return { text: String(message).slice(0, window), total: String(message).length };
  const text = boundedJson(message, window);
  return text.length >= window
    ? { text, total: text.length, unit: 'characters shown, the value is larger' }
    : { text, total: text.length };
}

function describeText(text: string, window: number): Described {
  // Base64 text (what our queues carry) is shown decoded when it decodes to text; base64 of binary stays binary.
  const compact = text.length <= 200_000 ? text.trim() : '';
  if (compact.length >= 4 && isStrictBase64(compact)) {
    const bytes = Buffer.from(compact, 'base64');
    const decoded = decodeUtf8(bytes);
    if (decoded !== undefined && !looksBinary(decoded))
      return { text: decoded.slice(0, window), total: decoded.length };
    // Base64 of bytes that are not text: the base64 itself is the most readable form.
    return {
      text: compact.slice(0, window),
      total: compact.length,
      unit: `characters: base64 of ${bytes.length} bytes that are not text`,
    };
  }
  if (looksBinary(text.slice(0, window))) {
    const shown = escapeControls(text.slice(0, window)).replace(/\ufffd/g, '?');
    return { text: shown, total: text.length, unit: 'characters, mostly not text' };
  }
  return { text: text.slice(0, window), total: text.length };
}

function describeBytes(bytes: Uint8Array, window: number, unit: string): Described {
  const decoded = bytes.length <= 200_000 ? decodeUtf8(bytes) : undefined;
  if (decoded !== undefined && !looksBinary(decoded)) return { text: decoded.slice(0, window), total: decoded.length };
  const head = Buffer.from(bytes.subarray(0, BINARY_HEAD_BYTES)).toString('hex');
  return { text: `binary: ${head}${bytes.length > BINARY_HEAD_BYTES ? '…' : ''}`, total: bytes.length, unit };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** More than a few control characters (other than whitespace) or replacement characters: not text a person reads. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 2000);
  if (sample.length === 0) return false;
  let odd = 0;
  for (const ch of sample) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 0x20 && ch !== '\n' && ch !== '\r' && ch !== '\t') || code === 0x7f || code === 0xfffd) odd++;
  }
  return odd > Math.max(2, sample.length / 20);
}

/** Control characters as `\xNN`, so that a preview never carries terminal escapes or NULs. */
function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (ch) => {
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/**
 * JSON of a value, cut at `maxChars` and `PREVIEW_DEPTH`: never recurses deeper than that, never walks more than it
 * shows, and copes with cycles, BigInts and functions.
 */
export function boundedJson(value: unknown, maxChars: number): string {
  let out = '';
  const seen = new Set<object>();
  const full = () => out.length >= maxChars;
  const write = (piece: string) => {
    if (!full()) out += piece.slice(0, maxChars - out.length);
  };
  const visit = (node: unknown, depth: number): void => {
    if (full()) return;
    if (node === null || typeof node !== 'object') {
      write(scalarJson(node, maxChars));
      return;
    }
    if (seen.has(node)) {
      write('"[circular]"');
      return;
    }
    if (depth >= PREVIEW_DEPTH) {
      write(Array.isArray(node) ? '[…]' : '{…}');
      return;
    }
    seen.add(node);
    if (node instanceof Uint8Array) write(JSON.stringify(describeBytes(node, 200, 'bytes').text));
    else if (Array.isArray(node)) {
      write('[');
      for (let i = 0; i < node.length && !full(); i++) {
        if (i > 0) write(',');
        visit(node[i], depth + 1);
      }
      write(']');
    } else {
      write('{');
      let first = true;
      for (const key in node) {
        if (full()) break;
        if (!Object.hasOwn(node, key)) continue;
        if (!first) write(',');
        first = false;
        write(`${JSON.stringify(key)}:`);
        visit((node as Record<string, unknown>)[key], depth + 1);
      }
      write('}');
    }
    seen.delete(node);
  };
  visit(value, 0);
  return out;
}

function scalarJson(node: unknown, maxChars: number): string {
  if (node === null || node === undefined) return 'null';
  if (typeof node === 'string') return JSON.stringify(node.slice(0, maxChars));
  if (typeof node === 'number' || typeof node === 'boolean' || typeof node === 'bigint') return String(node);
  return `"[${typeof node}]"`;
}
