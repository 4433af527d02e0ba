import type { z } from 'zod';
import { formatPath } from '../config/zodIssues';

/**
 * A queue message holds at most 64 KiB of text; base64 (what the Functions host expects, host.json messageEncoding)
 * turns 48 KiB of JSON into 64 KiB. Bigger messages are offloaded to a blob (see typedQueue).
 */
export const MAX_INLINE_MESSAGE_BYTES = 48 * 1024;

/** The pointer sent in place of an offloaded message body. */
export interface PayloadPointer {
  readonly $payload: { readonly container: string; readonly blob: string; readonly bytes: number };
}

export interface MessageIssue {
  readonly path: string;
  readonly message: string;
}

/** A queue message that is not what its schema says. Lists each problem by JSON path; never echoes values. */
export class MessageValidationError extends Error {
  override readonly name = 'MessageValidationError';
  constructor(
    readonly queue: string,
    readonly issues: readonly MessageIssue[],
  ) {
    super(
      `queue message${queue ? ` for '${queue}'` : ''} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
}

export function encodeQueueText(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64');
}

/** Our messages are a few levels deep; anything deeper is refused before a schema (or a preview) walks it. */
export const MAX_MESSAGE_DEPTH = 32;

/**
 * Validates with the schema, or throws a MessageValidationError naming the JSON paths that failed. A value nested
 * deeper than MAX_MESSAGE_DEPTH is refused first, so that no validation can overflow the stack.
 */
export function validateMessage<S extends z.ZodType>(schema: S, value: unknown, queue = ''): z.output<S> {
  if (nestedDeeperThan(value, MAX_MESSAGE_DEPTH)) {
    throw new MessageValidationError(queue, [
      { path: '(root)', message: `is nested more than ${MAX_MESSAGE_DEPTH} levels deep` },
    ]);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new MessageValidationError(
    queue,
    parsed.error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message })),
  );
}

/**
 * What the Functions host hands a queue handler for this message text: the base64 is decoded (host.json
 * messageEncoding base64), and JSON is parsed; anything else stays a string. The local runner uses this too.
 */
export function hostValueOfQueueText(text: string): unknown {
  const decoded = looksLikeJson(text) ? text : Buffer.from(text, 'base64').toString('utf8');
  try {
    return JSON.parse(decoded);
  } catch {
    return decoded;
  }
}

/**
 * Turns what a handler or a raw receive got (a parsed object, JSON text, base64 text or a Buffer) into the JSON value
 * it carries. Our messages are always JSON objects or arrays, so text starting with `{` or `[` is JSON, and any other
 * text is base64.
 */
export function queueMessageValue(raw: unknown, queue = ''): unknown {
  if (Buffer.isBuffer(raw) || raw instanceof Uint8Array)
    return queueMessageValue(Buffer.from(raw).toString('utf8'), queue);
  if (typeof raw !== 'string') return raw;
  const text = looksLikeJson(raw) ? raw : Buffer.from(raw.trim(), 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new MessageValidationError(queue, [{ path: '(root)', message: 'is neither JSON nor base64-encoded JSON' }]);
  }
}

export function isPayloadPointer(value: unknown): value is PayloadPointer {
  if (typeof value !== 'object' || value === null || !('$payload' in value)) return false;
  const ref = (value as { $payload: unknown }).$payload;
  return (
    typeof ref === 'object' &&
    ref !== null &&
    typeof (ref as { container?: unknown }).container === 'string' &&
    typeof (ref as { blob?: unknown }).blob === 'string'
  );
}

/**
 * Decodes and validates a message that was sent inline. An offloaded message (a payload pointer) needs its blob:
 * use `typedQueue(...).decode(raw)` for those; here it is rejected with a clear error.
 */
export function decodeQueueMessage<S extends z.ZodType>(schema: S, raw: unknown, queue = ''): z.output<S> {
  const value = queueMessageValue(raw, queue);
  if (isPayloadPointer(value)) {
    throw new MessageValidationError(queue, [
      { path: '$payload', message: 'the message body was offloaded to a blob; decode it with typedQueue(...).decode' },
    ]);
  }
  return validateMessage(schema, value, queue);
}

/** Walks without recursion, and stops as soon as the limit is passed. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}
