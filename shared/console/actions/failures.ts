import { z } from 'zod';
import type { ConsoleDeps } from '../deps';
import type { ActionResult } from '../http';
import { failureQueues, failureRow } from '../views/failures';

/** Replay takes no body; dismiss an optional note (who dismissed it is logged with the action). */
export const replayBodySchema = z.object({}).strict();
export const dismissBodySchema = z.object({ note: z.string().trim().min(1).max(500).optional() }).strict();

/**
 * Sends a failed message back to its queue, once: the store claims the failure (ETag) before sending, so two
 * operators (or a double click, or the CLI and the page) replay it once; the second is refused with why.
 */
export async function replayFailure(deps: ConsoleDeps, queue: string, id: string): Promise<ActionResult> {
  const unknown = unknownQueue(deps, queue);
  if (unknown) return unknown;
  const outcome = await deps.stores.queueFailures.replay(queue, id);
  if (!outcome.ok) return { ok: false, status: outcome.reason === 'notFound' ? 404 : 409, error: outcome.detail };
  return {
    ok: true,
    status: 200,
    message: `sent back to ${queue} (message ${outcome.messageId}); it runs again as new`,
    failure: failureRow(deps, outcome.failure),
  };
}

/** Marks a failure as dealt with: it stays listed (dismissed) until retention removes it, and is not counted open. */
export async function dismissFailure(
  deps: ConsoleDeps,
  queue: string,
  id: string,
  note: string | undefined,
): Promise<ActionResult> {
  const unknown = unknownQueue(deps, queue);
  if (unknown) return unknown;
  const outcome = await deps.stores.queueFailures.dismiss(queue, id, note);
  if (!outcome.ok) return { ok: false, status: outcome.reason === 'notFound' ? 404 : 409, error: outcome.detail };
  return { ok: true, status: 200, message: 'dismissed', failure: failureRow(deps, outcome.failure) };
}

function unknownQueue(deps: ConsoleDeps, queue: string): ActionResult | undefined {
  const queues = failureQueues(deps);
  return queues.includes(queue)
    ? undefined
    : { ok: false, status: 404, error: `no queue "${queue}" (queues: ${queues.join(', ')})` };
}
