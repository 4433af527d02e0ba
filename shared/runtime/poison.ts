import { z } from 'zod';
import { formatIssues } from '../config/zodIssues';
import { redact } from './redact';

/**
 * What a queue trigger finds in `context.triggerMetadata` (the host's names, camelCased by the Node worker).
 * A poison handler (`defineQueue({ poisonHandler })`) is an ordinary queue trigger on `<queue>-poison`: it gets the
 * original message, decoded like any other (parsed JSON when it is JSON), and this metadata describes the copy in
 * the poison queue. The host does not carry the failed attempts over, so `dequeueCount` counts deliveries from
 * the poison queue, and `insertionTime` is when the message was moved there.
 */
export interface QueueTriggerMetadata {
  readonly id: string;
  readonly dequeueCount: number;
  readonly insertionTime: string;
  readonly expirationTime: string;
  readonly nextVisibleTime: string;
  readonly popReceipt: string;
}

/** The message a poison handler gets: the original payload, as the source queue's handler got it. */
export type PoisonedQueueMessage = unknown;

const timestamp = z
  .union([z.string(), z.date()])
  .refine((value) => !Number.isNaN(new Date(value).getTime()), 'must be a date and time')
  .transform((value) => new Date(value).toISOString());

export const queueTriggerMetadataSchema = z.object({
  id: z.string().min(1),
  dequeueCount: z.coerce.number().int().nonnegative(),
  insertionTime: timestamp,
  expirationTime: timestamp,
  nextVisibleTime: timestamp,
  popReceipt: z.string(),
});

/** Reads a queue trigger's metadata; a rejection names the fields that are missing or wrong. */
export function readQueueTriggerMetadata(triggerMetadata: unknown): QueueTriggerMetadata {
  const parsed = queueTriggerMetadataSchema.safeParse(triggerMetadata);
  if (!parsed.success) {
    throw new Error(`queue trigger metadata is invalid: ${formatIssues(parsed.error, 'triggerMetadata').join('; ')}`);
  }
  return parsed.data;
}

/** The visible failed status a flow stores for a message that landed in a poison queue. */
export interface PoisonedMessageRecord {
  /** The queue the message failed on (without `-poison`). */
  readonly queue: string;
  readonly poisonQueue: string;
  readonly messageId: string;
  readonly dequeueCount: number;
  /** At most PREVIEW_LENGTH characters of the message, secrets masked. */
  readonly preview: string;
  /** When the message was moved to the poison queue (ISO 8601), or `unknown`. */
  readonly time: string;
}

export const PREVIEW_LENGTH = 200;
const POISON_SUFFIX = '-poison';

/**
 * Pure: turns what a poison handler got into a record to store. Lenient on metadata, because a poison handler
 * that throws only moves the message one queue further (`-poison-poison`) and the failure stays invisible.
 */
export function describePoisonedMessage(
  queueName: string,
  message: PoisonedQueueMessage,
  triggerMetadata: unknown,
  secrets: readonly string[] = [],
): PoisonedMessageRecord {
  const poisonQueue = queueName.endsWith(POISON_SUFFIX) ? queueName : `${queueName}${POISON_SUFFIX}`;
  const metadata = lenientMetadata(triggerMetadata);
  return {
    queue: poisonQueue.slice(0, -POISON_SUFFIX.length),
    poisonQueue,
    messageId: metadata.id ?? 'unknown',
    dequeueCount: metadata.dequeueCount ?? 0,
    preview: previewOf(message, secrets),
    time: metadata.insertionTime ?? 'unknown',
  };
}

function lenientMetadata(triggerMetadata: unknown): Partial<QueueTriggerMetadata> {
  const source = (triggerMetadata !== null && typeof triggerMetadata === 'object' ? triggerMetadata : {}) as Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(queueTriggerMetadataSchema.shape)) {
    const parsed = schema.safeParse(source[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Partial<QueueTriggerMetadata>;
}

function previewOf(message: unknown, secrets: readonly string[]): string {
  let text: string;
  if (typeof message === 'string') text = message;
  else {
    try {
      text = JSON.stringify(message) ?? String(message);
    } catch {
      text = String(message);
    }
  }
  const masked = redact(text, secrets).replace(/\s+/g, ' ');
  return masked.length > PREVIEW_LENGTH ? `${masked.slice(0, PREVIEW_LENGTH - 1)}…` : masked;
}
