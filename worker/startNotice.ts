import type { KeyObject } from 'node:crypto';
import { type SignedNotice, signNotice } from '../shared/jobs';
import type { Logger } from '../shared/runtime/logger';

/** Sends a signed notice to `job-results` (the poller supplies it). */
export type SendNotice = (notice: SignedNotice) => Promise<void>;

/** How long a finished job's result waits for its started notice to be sent, so the notice usually goes first. */
export const NOTICE_GRACE_MS = 10_000;

/**
 * Signs and sends the `started` notice for a job whose script is about to run. Best effort: the returned promise
 * never rejects (a failure is logged), and the caller does not wait for it before running the script.
 */
export function announceStarted(
  send: SendNotice | undefined,
  fields: { workerId: string; jobId: string; startedAt: string; privateKey: KeyObject },
  log: Logger,
): Promise<void> {
  if (!send) return Promise.resolve();
  return (async () => {
    const { privateKey, ...rest } = fields;
    await send(signNotice({ v: 1, kind: 'started', ...rest, jobId: rest.jobId.slice(0, 200) }, privateKey));
  })().catch((error) => log.warn('could not send the started notice; the job goes on', { error }));
}

/** Waits for `pending` to settle, but no longer than `ms`. */
export async function settleWithin(pending: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([
      pending.then(
        () => undefined,
        () => undefined,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
