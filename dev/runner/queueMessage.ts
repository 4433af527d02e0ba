import { isStrictBase64 } from '../../shared/runtime/base64';
export type MessageEncoding = 'base64' | 'none';

/** The message text the host hands to a trigger: base64 decoded to UTF-8 (or the raw text with `none`). */
export function decodeMessageText(raw: string, encoding: MessageEncoding): string {
  if (encoding === 'none') return raw;
  if (!isStrictBase64(raw)) throw new Error('queue message is not valid base64 (host.json messageEncoding is base64)');
  return Buffer.from(raw, 'base64').toString('utf8');
}

/** The trigger's argument, like the Node worker makes it: parsed JSON when the text is JSON, else the string. */
export function messageValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function encodeMessageText(text: string, encoding: MessageEncoding): string {
  return encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly popReceipt: string;
  readonly dequeueCount: number;
  readonly insertedOn: Date;
  readonly expiresOn: Date;
  readonly nextVisibleOn: Date;
  readonly messageText: string;
}

/** What a queue trigger finds in `context.triggerMetadata` (the host's names, camelCased by the Node worker). */
export interface QueueTriggerMetadata {
  /** The message text, decoded (the host's `QueueTrigger` binding data). */
  readonly queueTrigger: string;
  readonly id: string;
  readonly dequeueCount: number;
  readonly insertionTime: string;
  readonly expirationTime: string;
  readonly nextVisibleTime: string;
  readonly popReceipt: string;
}

/** `context.triggerMetadata` for a queue trigger, with the host's names (camelCased) and ISO 8601 times. */
export function queueTriggerMetadata(message: ReceivedMessage, decodedText: string): QueueTriggerMetadata {
  return {
    queueTrigger: decodedText,
    id: message.messageId,
    dequeueCount: message.dequeueCount,
    insertionTime: message.insertedOn.toISOString(),
    expirationTime: message.expiresOn.toISOString(),
    nextVisibleTime: message.nextVisibleOn.toISOString(),
    popReceipt: message.popReceipt,
  };
}
