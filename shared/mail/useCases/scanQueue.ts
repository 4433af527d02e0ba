import { z } from 'zod';
import type { Container } from '../../app/container';
import { ConcurrencyError, QUEUES, type StorageConnection, typedQueue } from '../../storage';

/** `continue`: a scan that used its time budget goes on; `rerun`: a trigger came while the scan was running. */
export const SCAN_REASONS = ['timer', 'notification', 'lifecycle', 'manual', 'continue', 'rerun'] as const;

export const mailboxScanMessageSchema = z
  .object({
    mailboxId: z.string().min(1).max(64),
    reason: z.enum(SCAN_REASONS),
    /** Create the mailbox's change-notification subscription again before scanning (after subscriptionRemoved). */
    resubscribe: z.boolean().optional(),
    /** Reauthorize this subscription (renew it if Graph refuses) before scanning (after reauthorizationRequired). */
    reauthorize: z.string().min(1).max(200).optional(),
  })
  .strict();
export type MailboxScanMessage = z.infer<typeof mailboxScanMessageSchema>;

export function mailboxScanQueue(storage: StorageConnection) {
  return typedQueue(storage, QUEUES.mailboxScan, mailboxScanMessageSchema);
}

/** Checkpoint scope of the "a scan of this mailbox is queued" markers. */
export const SCAN_PENDING_SCOPE = 'mail-scan-pending';
/**
 * A marker older than this is treated as lost (its message was poisoned or never sent) and replaced, so a mailbox
 * can never be starved of scans by a stuck marker.
 */
const PENDING_STALE_MS = 3 * 60_000;

/**
 * Queues one scan of a mailbox unless one is already waiting: the timer, any number of notifications and lifecycle
 * events between two scans all coalesce into one message. The scanner clears the marker when it starts, so mail
 * that arrives during a scan gets a scan of its own.
 */
export async function requestScan(
  deps: Pick<Container, 'storage' | 'stores' | 'now' | 'log'>,
  message: MailboxScanMessage,
): Promise<'queued' | 'coalesced'> {
  const checkpoints = deps.stores.checkpoints;
  const stamp = deps.now().toISOString();
  // A scan that must first do something for Graph is never folded into a plain one.
  if (!message.resubscribe && !message.reauthorize) {
    try {
      await checkpoints.put(SCAN_PENDING_SCOPE, message.mailboxId, stamp, null);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const marker = await checkpoints.get(SCAN_PENDING_SCOPE, message.mailboxId);
      const fresh = marker && deps.now().getTime() - Date.parse(marker.value) < PENDING_STALE_MS;
      if (fresh) return 'coalesced';
      try {
        await checkpoints.put(SCAN_PENDING_SCOPE, message.mailboxId, stamp, marker?.etag ?? null);
      } catch (raced) {
        if (raced instanceof ConcurrencyError) return 'coalesced';
        throw raced;
      }
    }
  }
  try {
    await mailboxScanQueue(deps.storage).send(message);
  } catch (error) {
    await clearScanPending(deps, message.mailboxId);
    throw error;
  }
  return 'queued';
}

export async function clearScanPending(deps: Pick<Container, 'stores'>, mailboxId: string): Promise<void> {
  await deps.stores.checkpoints.delete(SCAN_PENDING_SCOPE, mailboxId);
}

/** The timer: one scan request per configured mailbox. */
export async function requestScansOfAllMailboxes(
  deps: Pick<Container, 'config' | 'storage' | 'stores' | 'now' | 'log'>,
): Promise<{ queued: string[]; coalesced: string[] }> {
  const result = { queued: [] as string[], coalesced: [] as string[] };
  for (const mailbox of deps.config.mailboxes) {
    const outcome = await requestScan(deps, { mailboxId: mailbox.id, reason: 'timer' });
    result[outcome].push(mailbox.id);
  }
  return result;
}
