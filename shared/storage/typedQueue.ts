import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { lazyContainer } from './blobContainer';
import type { StorageConnection } from './connection';
import { statusOf } from './errors';
import { BLOB_CONTAINERS } from './names';
import {
  encodeQueueText,
  isPayloadPointer,
  MAX_INLINE_MESSAGE_BYTES,
  MessageValidationError,
  type PayloadPointer,
  queueMessageValue,
  validateMessage,
} from './queueMessages';
import { rawQueue, type SendOptions } from './rawQueue';

export interface TypedQueue<S extends z.ZodType> {
  readonly name: string;
  /** Creates the queue and its -poison twin. */
  ensure(): Promise<void>;
  /** Validates, then sends base64 JSON; a body over 48 KiB goes to the `payloads` container behind a pointer. */
  send(message: z.input<S>, options?: SendOptions): Promise<{ messageId: string; offloaded: boolean }>;
  /** Validates every message first (none is sent if one is invalid), then sends them a few at a time. */
  sendMany(messages: readonly z.input<S>[], options?: SendOptions): Promise<{ sent: number; offloaded: number }>;
  /**
   * What a handler calls on the message the host gave it (or on a raw receive's text): fetches an offloaded body,
   * then validates. Throws MessageValidationError with the JSON path of each problem.
   */
  decode(raw: unknown): Promise<z.output<S>>;
  peekCount(): Promise<number>;
}

const SEND_CONCURRENCY = 8;

export function typedQueue<S extends z.ZodType>(connection: StorageConnection, name: string, schema: S): TypedQueue<S> {
  const raw = rawQueue(connection, name);
  const payloads = lazyContainer(connection, BLOB_CONTAINERS.payloads);

  async function encode(message: z.input<S>): Promise<{ text: string; offloaded: boolean }> {
    validateMessage(schema, message, name);
    const json = JSON.stringify(message);
    if (Buffer.byteLength(json, 'utf8') <= MAX_INLINE_MESSAGE_BYTES)
      return { text: encodeQueueText(json), offloaded: false };
    const blob = `${name}/${randomUUID()}.json`;
    const body = Buffer.from(json, 'utf8');
    const container = await payloads.client();
    await container
      .getBlockBlobClient(blob)
      .uploadData(body, { blobHTTPHeaders: { blobContentType: 'application/json' } });
    const pointer: PayloadPointer = { $payload: { container: payloads.name, blob, bytes: body.length } };
    return { text: encodeQueueText(JSON.stringify(pointer)), offloaded: true };
  }

  async function resolve(value: unknown): Promise<unknown> {
    if (!isPayloadPointer(value)) return value;
    if (value.$payload.container !== payloads.name) {
      throw new MessageValidationError(name, [{ path: '$payload.container', message: `must be '${payloads.name}'` }]);
    }
    const container = await payloads.client();
    let body: Buffer;
    try {
      body = await container.getBlockBlobClient(value.$payload.blob).downloadToBuffer();
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new MessageValidationError(name, [
          { path: '$payload.blob', message: 'the offloaded body no longer exists' },
        ]);
      }
      throw error;
    }
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new MessageValidationError(name, [{ path: '$payload.blob', message: 'the offloaded body is not JSON' }]);
    }
  }

  return {
    name,
    ensure: () => raw.ensure(),
    async send(message, options) {
      const { text, offloaded } = await encode(message);
      const sent = await raw.sendText(text, options);
      return { messageId: sent.messageId, offloaded };
    },
    async sendMany(messages, options) {
      messages.forEach((message, index) => {
        try {
          validateMessage(schema, message, name);
        } catch (error) {
          if (!(error instanceof MessageValidationError)) throw error;
          throw new MessageValidationError(
            name,
            error.issues.map((issue) => ({ path: indexedPath(index, issue.path), message: issue.message })),
          );
        }
      });
      let next = 0;
      let offloaded = 0;
      const lane = async () => {
        while (next < messages.length) {
          const message = messages[next++] as z.input<S>;
          const encoded = await encode(message);
          if (encoded.offloaded) offloaded++;
          await raw.sendText(encoded.text, options);
        }
      };
      await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, messages.length) }, lane));
      return { sent: messages.length, offloaded };
    },
    async decode(rawMessage) {
      return validateMessage(schema, await resolve(queueMessageValue(rawMessage, name)), name);
    },
    peekCount: () => raw.peekCount(),
  };
}

function indexedPath(index: number, path: string): string {
  if (path === '(root)') return `[${index}]`;
  return path.startsWith('[') ? `[${index}]${path}` : `[${index}].${path}`;
}
