import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { MAX_PROPERTY_CHARS, truncateText } from '../json';
import { newestFirstKey, safeKey } from '../keys';
import { TABLES } from '../names';
import { rawQueue } from '../rawQueue';
import { entityTable, type StoredEntity } from './entityTable';
import { type Clock, parseRow, systemClock } from './records';

/**
 * Why a message was given up on:
 * - `malformed`: not a message its queue carries (not JSON, wrong shape, nested too deeply): rejected at once;
 * - `rejected`: well-formed, but its consumer refused it for good (an unknown mailbox, an unverified result);
 * - `exhausted`: its consumer failed on every delivery the host makes (host.json maxDequeueCount);
 * - `undeliverable`: the host could not hand it to the function at all (not base64) and moved it to the poison queue.
 */
export const QUEUE_FAILURE_KINDS = ['malformed', 'rejected', 'exhausted', 'undeliverable'] as const;
export type QueueFailureKind = (typeof QUEUE_FAILURE_KINDS)[number];

/** `open` until an operator replays it once (`replaying` while the copy is being sent) or dismisses it. */
export const QUEUE_FAILURE_STATUSES = ['open', 'replaying', 'replayed', 'dismissed'] as const;
export type QueueFailureStatus = (typeof QUEUE_FAILURE_STATUSES)[number];

/** The longest preview a record keeps (the preview is made by the caller, masked and bounded: messagePreview.ts). */
const MAX_PREVIEW_CHARS = 2_000;
/** A queue message is at most 64 KiB of text: three table properties hold it. */
const PAYLOAD_PROPERTIES = ['payload0', 'payload1', 'payload2'] as const;

const recordSchema = z
  .object({
    queue: z.string().min(1),
    id: z.string().min(1),
    kind: z.enum(QUEUE_FAILURE_KINDS).default('exhausted'),
    /** What was wrong, in words (secrets masked by the caller). */
    reason: z.string(),
    /** A short, masked preview of the message. Rows written before previews existed carry it in `message`. */
    preview: z.string().optional(),
    message: z.string().optional(),
    failedAt: z.string(),
    messageId: z.string().optional(),
    dequeueCount: z.number().int().optional(),
    status: z.enum(QUEUE_FAILURE_STATUSES).default('open'),
    /** Whether the original message text is kept, so that it can be replayed. */
    replayable: z.boolean().default(false),
    replayedAt: z.string().optional(),
    replayMessageId: z.string().optional(),
    dismissedAt: z.string().optional(),
    note: z.string().optional(),
  })
  .transform(({ message, preview, ...rest }) => ({ ...rest, preview: preview ?? message ?? '' }));

/** One message that was given up on, as an operator sees it (the original text is never part of it). */
export type QueueFailure = z.output<typeof recordSchema>;

export interface NewQueueFailure {
  readonly queue: string;
  readonly kind: QueueFailureKind;
  readonly reason: string;
  readonly preview: string;
  /** The message text exactly as it stood on the queue (base64 for ours), kept for replay. */
  readonly payload?: string;
  /** Whether a replay could succeed: false for a message that would only be rejected again. Default: true. */
  readonly replayable?: boolean;
  readonly messageId?: string;
  readonly dequeueCount?: number;
  /**
   * Makes recording idempotent: the same message (its queue message id and insertion time) recorded again, after
   * a crash between recording it and removing it from the queue, returns the first record instead of a second.
   */
  readonly identity?: { readonly messageId: string; readonly insertedAt: Date };
}

export type ReplayOutcome =
  | { readonly ok: true; readonly failure: QueueFailure; readonly messageId: string }
  | {
      readonly ok: false;
      readonly reason: 'notFound' | 'notReplayable' | 'alreadyReplayed' | 'dismissed' | 'replaying' | 'raced';
      readonly detail: string;
    };

export type DismissOutcome =
  | { readonly ok: true; readonly failure: QueueFailure }
  | {
      readonly ok: false;
      readonly reason: 'notFound' | 'alreadyReplayed' | 'replaying' | 'raced';
      readonly detail: string;
    };

export interface QueueFailureListOptions {
  /** At most this many, newest first within a queue. */
  readonly top?: number;
  readonly status?: QueueFailureStatus;
}

/**
 * The messages the queues gave up on, so that every failure leaves a visible status: what the operator console
 * and the CLI list, show (with a masked preview, never the message itself), replay once and dismiss.
 */
export interface QueueFailureStore {
  /** Records a failure; newest first in `list`. With `identity`, recording the same message twice keeps one row. */
  record(failure: NewQueueFailure): Promise<QueueFailure>;
  get(queue: string, id: string): Promise<QueueFailure | undefined>;
  /** One queue's failures, or every queue's when `queue` is undefined (grouped by queue, newest first in each). */
  list(queue: string | undefined, options?: QueueFailureListOptions): Promise<QueueFailure[]>;
  /**
   * Sends the kept message back to its queue, once: the first replay wins (ETag-guarded), a second one is refused,
   * and a replay whose send failed can be tried again.
   */
  replay(queue: string, id: string): Promise<ReplayOutcome>;
  /** Marks an open failure as dealt with; it stays listed until the retention window removes it. */
  dismiss(queue: string, id: string, note?: string): Promise<DismissOutcome>;
}

export function queueFailureStore(connection: StorageConnection, options: { now?: Clock } = {}): QueueFailureStore {
  const table = entityTable(connection, TABLES.queueFailures);
  const now = options.now ?? systemClock;
  const fromRow = (row: StoredEntity) => parseRow(recordSchema, row, table.name);
  const read = async (queue: string, id: string) => {
    const row = await table.get(safeKey(queue), safeKey(id));
    return row ? { row, failure: fromRow(row) } : undefined;
  };
  const update = (row: StoredEntity, patch: Record<string, string>, etag = row.etag) =>
    table.update(row.partitionKey, row.rowKey, patch, etag, 'Merge');

  return {
    async record(failure) {
      const at = now();
      const id = failure.identity
        ? newestFirstKey(failure.identity.insertedAt, failure.identity.messageId)
        : newestFirstKey(at, randomUUID().slice(0, 8));
      const payload = failure.payload !== undefined && failure.payload.length <= 3 * MAX_PROPERTY_CHARS;
      const properties = {
        queue: failure.queue,
        id,
        kind: failure.kind,
        reason: truncateText(failure.reason, 8_000),
        preview: truncateText(failure.preview, MAX_PREVIEW_CHARS),
        failedAt: at.toISOString(),
        messageId: failure.messageId,
        dequeueCount: failure.dequeueCount,
        status: 'open',
        replayable: payload && (failure.replayable ?? true),
        ...(payload ? chunks(failure.payload!) : {}),
      };
      try {
        await table.insert(safeKey(failure.queue), safeKey(id), properties);
      } catch (error) {
        const existing = error instanceof ConcurrencyError ? await read(failure.queue, id) : undefined;
        if (existing) return existing.failure;
        throw error;
      }
      return fromRow({ ...properties, partitionKey: '', rowKey: '', etag: '' } as StoredEntity);
    },
    async get(queue, id) {
      return (await read(queue, id))?.failure;
    },
    async list(queue, listOptions = {}) {
      const filter = listOptions.status ? `status eq '${listOptions.status}'` : undefined;
      const rows = await table.list(queue === undefined ? undefined : safeKey(queue), {
        ...(filter ? { filter } : {}),
        ...(listOptions.top !== undefined ? { top: listOptions.top } : {}),
      });
      return rows.map(fromRow);
    },
    async replay(queue, id) {
      const found = await read(queue, id);
      if (!found) return { ok: false, reason: 'notFound', detail: `no failure ${id} on queue ${queue}` };
      const { row, failure } = found;
      const refused = replayRefusal(failure);
      if (refused) return refused;
      let claimed: string;
      try {
        claimed = await update(row, { status: 'replaying', replayedAt: now().toISOString() });
      } catch (error) {
        if (error instanceof ConcurrencyError) return raced(id);
        throw error;
      }
      const payload = PAYLOAD_PROPERTIES.map((name) => (typeof row[name] === 'string' ? row[name] : '')).join('');
      let messageId: string;
      try {
        messageId = (await rawQueue(connection, queue).sendText(payload)).messageId;
      } catch (error) {
        // Not sent: give the failure back, so that the replay can be tried again.
        await update(row, { status: failure.status }, claimed).catch(() => undefined);
        throw error;
      }
      const replayed = { status: 'replayed', replayMessageId: messageId };
      const current = await table.get(row.partitionKey, row.rowKey);
      if (current) await update(current, replayed).catch(() => undefined);
      const after = current ? fromRow({ ...current, ...replayed }) : failure;
      return { ok: true, failure: after, messageId };
    },
    async dismiss(queue, id, note) {
      const found = await read(queue, id);
      if (!found) return { ok: false, reason: 'notFound', detail: `no failure ${id} on queue ${queue}` };
      const { row, failure } = found;
      if (failure.status === 'replayed') return { ok: false, reason: 'alreadyReplayed', detail: 'it was replayed' };
      if (failure.status === 'replaying') return { ok: false, reason: 'replaying', detail: 'a replay is under way' };
      if (failure.status === 'dismissed') return { ok: true, failure };
      const patch = {
        status: 'dismissed',
        dismissedAt: now().toISOString(),
        ...(note ? { note: truncateText(note, 2_000) } : {}),
      };
      try {
        await update(row, patch);
      } catch (error) {
        if (error instanceof ConcurrencyError) return raced(id);
        throw error;
      }
      return { ok: true, failure: fromRow({ ...row, ...patch }) };
    },
  };
}

function replayRefusal(failure: QueueFailure): Extract<ReplayOutcome, { ok: false }> | undefined {
  if (failure.status === 'replayed') {
    return { ok: false, reason: 'alreadyReplayed', detail: `replayed at ${failure.replayedAt} already` };
  }
  if (failure.status === 'replaying') {
    return { ok: false, reason: 'replaying', detail: `a replay started at ${failure.replayedAt} is under way` };
  }
  if (failure.status === 'dismissed') return { ok: false, reason: 'dismissed', detail: 'it was dismissed' };
  if (!failure.replayable) {
    return {
      ok: false,
      reason: 'notReplayable',
      detail:
        failure.kind === 'malformed' || failure.kind === 'undeliverable'
          ? 'the message itself is invalid, so it would only be rejected again'
          : 'the message text was not kept',
    };
  }
  return undefined;
}

function raced(id: string): Extract<ReplayOutcome, { ok: false }> & Extract<DismissOutcome, { ok: false }> {
  return { ok: false, reason: 'raced', detail: `failure ${id} was changed by someone else just now; look again` };
}

function chunks(payload: string): Record<string, string> {
  const out: Record<string, string> = {};
  PAYLOAD_PROPERTIES.forEach((name, index) => {
    const part = payload.slice(index * MAX_PROPERTY_CHARS, (index + 1) * MAX_PROPERTY_CHARS);
    if (part) out[name] = part;
  });
  return out;
}
