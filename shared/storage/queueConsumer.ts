import type { z } from 'zod';
import { isStrictBase64 } from '../runtime/base64';
import type { Logger } from '../runtime/logger';
import { previewMessage } from '../runtime/messagePreview';
import { redact } from '../runtime/redact';
import type { StorageConnection } from './connection';
import { statusOf } from './errors';
import { poisonQueueName } from './names';
import { encodeQueueText, MessageValidationError } from './queueMessages';
import { type ReceivedMessage, rawQueue } from './rawQueue';
import type { QueueFailure, QueueFailureKind, QueueFailureStore } from './tables/queueFailures';
import { typedQueue } from './typedQueue';

/** host.json `extensions.queues.maxDequeueCount`: the deliveries the host makes before it gives a message up. */
export const HOST_MAX_DEQUEUE_COUNT = 5;

/**
 * Thrown by a queue handler for a well-formed message it will never accept (an unknown mailbox, a result no
 * registered worker signed): the message is recorded as a `rejected` failure at once and not retried.
 */
export class MessageRejected extends Error {
  override readonly name = 'MessageRejected';
}

/** Which delivery of a message this is, from the trigger's metadata. */
export interface Delivery {
  readonly messageId: string;
  readonly dequeueCount: number;
  readonly insertedAt: Date | undefined;
  /** The host's last delivery (dequeueCount has reached maxDequeueCount): if this one fails, it is given up. */
  readonly final: boolean;
}

/**
 * What a queue declares: its name, the schema of its messages, the handler, and what else must happen when a
 * message is given up on (mark a tenant failed, fail a job). Everything else (decoding, rejecting malformed
 * messages at once, recording what was given up, the poison queue) is the same for every queue: `consumeMessage`
 * and `sweepPoisonQueue`.
 */
export interface QueueConsumer<S extends z.ZodType> {
  readonly queue: string;
  readonly schema: S;
  handle(message: z.output<S>, delivery: Delivery): Promise<void>;
  /** Runs after the failure is recorded; must be idempotent (a crash may run it twice). */
  onGiveUp?(message: z.output<S>, failure: QueueFailure): Promise<void>;
}

export interface ConsumerContext {
  readonly storage: StorageConnection;
  readonly failures: QueueFailureStore;
  readonly log: Logger;
  /** Values masked in previews and reasons. */
  readonly secrets: readonly string[];
  readonly maxDequeueCount: number;
}

export type ConsumeOutcome =
  | { readonly kind: 'handled' }
  | { readonly kind: QueueFailureKind; readonly failure: QueueFailure };

/**
 * Handles one delivery of a queue message: decodes it (offloaded bodies, schema, depth); a malformed message is
 * recorded and acknowledged at once, as is one the handler rejects (MessageRejected). Any other failure is thrown
 * so that the host delivers the message again, except on the host's last delivery: then the failure is recorded
 * with its error and the message acknowledged, so that it never needs the poison queue. Only if recording itself
 * fails is the error thrown, and the host moves the message to `<queue>-poison`, where sweepPoisonQueue finds it.
 */
export async function consumeMessage<S extends z.ZodType>(
  consumer: QueueConsumer<S>,
  raw: unknown,
  triggerMetadata: unknown,
  ctx: ConsumerContext,
): Promise<ConsumeOutcome> {
  const delivery = deliveryOf(triggerMetadata, ctx.maxDequeueCount);
  const base = {
    queue: consumer.queue,
    messageId: delivery.messageId,
    dequeueCount: delivery.dequeueCount,
    preview: previewMessage(messageText(triggerMetadata) ?? raw, ctx.secrets),
    ...identityOf(delivery),
  };
  let message: z.output<S>;
  try {
    message = await typedQueue(ctx.storage, consumer.queue, consumer.schema).decode(raw);
  } catch (error) {
    if (!isMalformed(error)) throw error;
    const reason = mask(error, ctx.secrets);
    const failure = await ctx.failures.record({
      ...base,
      kind: 'malformed',
      reason,
      ...kept(raw, triggerMetadata),
      replayable: false,
    });
    ctx.log.warn('queue message rejected: malformed', { queue: consumer.queue, messageId: delivery.messageId, reason });
    return { kind: 'malformed', failure };
  }
  try {
    await consumer.handle(message, delivery);
    return { kind: 'handled' };
  } catch (error) {
    const reason = mask(error, ctx.secrets);
    if (error instanceof MessageRejected) {
      const failure = await ctx.failures.record({ ...base, kind: 'rejected', reason, ...kept(raw, triggerMetadata) });
      ctx.log.warn('queue message rejected', { queue: consumer.queue, messageId: delivery.messageId, reason });
      return { kind: 'rejected', failure };
    }
    if (!delivery.final) throw error;
    const attempts = delivery.dequeueCount;
    let failure: QueueFailure;
    try {
      failure = await ctx.failures.record({
        ...base,
        kind: 'exhausted',
        reason: `failed on all ${attempts} deliveries; last error: ${reason}`,
        ...kept(raw, triggerMetadata),
      });
    } catch (recording) {
      ctx.log.error('could not record a message given up on; the host moves it to the poison queue', {
        queue: consumer.queue,
        messageId: delivery.messageId,
        error: mask(recording, ctx.secrets),
      });
      throw error;
    }
    ctx.log.error('queue message given up on', { queue: consumer.queue, messageId: delivery.messageId, reason });
    await followUp(consumer, message, failure, ctx);
    return { kind: 'exhausted', failure };
  }
}

export interface SweepOutcome {
  readonly recorded: number;
  readonly failed: number;
}

/** At most this many poison messages per queue per sweep, so that one sweep stays short; the rest wait a minute. */
const SWEEP_LIMIT = 64;
const SWEEP_LEASE_SECONDS = 120;

/**
 * Empties `<queue>-poison`: every message there (whatever its shape: not base64, not JSON, huge, binary, deeply
 * nested) becomes a recorded failure with a masked preview and is then deleted. Read with the plain queue client,
 * never through a trigger, so that no message can fail here and be moved on to `-poison-poison`. A message that
 * is still valid gets the queue's onGiveUp too. Recording is idempotent per poison message, so a crash between
 * recording and deleting never leaves two records.
 */
export async function sweepPoisonQueue<S extends z.ZodType>(
  consumer: QueueConsumer<S>,
  ctx: ConsumerContext,
): Promise<SweepOutcome> {
  const queue = rawQueue(ctx.storage, poisonQueueName(consumer.queue));
  let recorded = 0;
  let failed = 0;
  while (recorded + failed < SWEEP_LIMIT) {
    let batch: ReceivedMessage[];
    try {
      batch = await queue.receive({ maxMessages: 32, visibilityTimeoutSeconds: SWEEP_LEASE_SECONDS });
    } catch (error) {
      if (statusOf(error) === 404) break; // no poison queue yet: nothing was ever poisoned
      throw error;
    }
    if (batch.length === 0) break;
    for (const message of batch) {
      try {
        await sweepOne(consumer, message, ctx);
        await queue.delete(message.messageId, message.popReceipt);
        recorded++;
      } catch (error) {
        failed++;
        ctx.log.error('could not record a poison message; the next sweep tries again', {
          queue: queue.name,
          messageId: message.messageId,
          error: mask(error, ctx.secrets),
        });
      }
    }
  }
  return { recorded, failed };
}

async function sweepOne<S extends z.ZodType>(
  consumer: QueueConsumer<S>,
  message: ReceivedMessage,
  ctx: ConsumerContext,
): Promise<void> {
  const poisonQueue = poisonQueueName(consumer.queue);
  const base = {
    queue: consumer.queue,
    messageId: message.messageId,
    dequeueCount: message.dequeueCount,
    preview: previewMessage(message.text, ctx.secrets),
    payload: message.text,
    identity: { messageId: message.messageId, insertedAt: message.insertedOn },
  };
  if (!isStrictBase64(message.text)) {
    await ctx.failures.record({
      ...base,
      kind: 'undeliverable',
      reason: `not base64 text (host.json messageEncoding is base64), so the host could not hand it to the function and moved it to ${poisonQueue}`,
      replayable: false,
    });
    return;
  }
  let value: z.output<S>;
  try {
    value = await typedQueue(ctx.storage, consumer.queue, consumer.schema).decode(message.text);
  } catch (error) {
    if (!isMalformed(error)) throw error;
    await ctx.failures.record({ ...base, kind: 'malformed', reason: mask(error, ctx.secrets), replayable: false });
    return;
  }
  const failure = await ctx.failures.record({
    ...base,
    kind: 'exhausted',
    reason: `the host moved it to ${poisonQueue}: no delivery completed (each failed before the function could record it, timed out, or its instance stopped)`,
  });
  await followUp(consumer, value, failure, ctx);
}

async function followUp<S extends z.ZodType>(
  consumer: QueueConsumer<S>,
  message: z.output<S>,
  failure: QueueFailure,
  ctx: ConsumerContext,
): Promise<void> {
  if (!consumer.onGiveUp) return;
  try {
    await consumer.onGiveUp(message, failure);
  } catch (error) {
    // The failure is recorded (visible); what the flow would have marked is logged. Never thrown: a throw here
    // would make the host deliver the message again or move it to the poison queue.
    ctx.log.error('the follow-up of a message given up on failed', {
      queue: consumer.queue,
      failureId: failure.id,
      error: mask(error, ctx.secrets),
    });
  }
}

function deliveryOf(triggerMetadata: unknown, maxDequeueCount: number): Delivery {
  const source = (typeof triggerMetadata === 'object' && triggerMetadata !== null ? triggerMetadata : {}) as Record<
    string,
    unknown
  >;
  const count = Number(source.dequeueCount);
  const dequeueCount = Number.isInteger(count) && count > 0 ? count : 1;
  const inserted =
    typeof source.insertionTime === 'string' || source.insertionTime instanceof Date
      ? new Date(source.insertionTime)
      : undefined;
  return {
    messageId: typeof source.id === 'string' && source.id ? source.id : 'unknown',
    dequeueCount,
    insertedAt: inserted && !Number.isNaN(inserted.getTime()) ? inserted : undefined,
    final: dequeueCount >= maxDequeueCount,
  };
}

function identityOf(delivery: Delivery) {
  return delivery.insertedAt && delivery.messageId !== 'unknown'
    ? { identity: { messageId: delivery.messageId, insertedAt: delivery.insertedAt } }
    : {};
}

/**
 * The message text as it stood on the queue, for a replay: the host hands the decoded text in the trigger
 * metadata (`queueTrigger`); our messages are base64 of it.
 */
function kept(raw: unknown, triggerMetadata: unknown): { payload?: string } {
  const text = messageText(triggerMetadata);
  if (text !== undefined) return { payload: encodeQueueText(text) };
  if (typeof raw === 'string') return { payload: encodeQueueText(raw) };
  try {
    const json = JSON.stringify(raw);
    return json === undefined ? {} : { payload: encodeQueueText(json) };
  } catch {
    return {}; // e.g. nested too deeply to serialise: not replayable, the preview still shows it
  }
}

/** The message text as the host decoded it (its `QueueTrigger` binding data), when the metadata carries it. */
function messageText(triggerMetadata: unknown): string | undefined {
  const text = (triggerMetadata as { queueTrigger?: unknown } | undefined)?.queueTrigger;
  return typeof text === 'string' ? text : undefined;
}

/** A message no delivery can fix: not JSON, wrong shape, too deep. Storage or network errors are worth a retry. */
function isMalformed(error: unknown): boolean {
  return error instanceof MessageValidationError || error instanceof SyntaxError || error instanceof RangeError;
}

function mask(error: unknown, secrets: readonly string[]): string {
  return redact(error instanceof Error ? error.message : String(error), secrets);
}
