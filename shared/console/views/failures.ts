import { z } from 'zod';
import { QUEUES } from '../../storage';
import type { ConsoleDeps } from '../deps';
import { maskSecrets } from '../mask';
import { pageLimit } from '../query';
import { NotFoundError } from './notFound';

export const failuresQuerySchema = z
  .object({
    queue: z.string().trim().min(1).optional(),
    limit: pageLimit(500, 100),
  })
  .strict();
export type FailuresQuery = z.output<typeof failuresQuerySchema>;

export interface FailureRow {
  readonly queue: string;
  readonly id: string;
  readonly failedAt: string;
  /** Why the message was given up on, in words (secrets masked). */
  readonly reason: string;
  /** A short preview of the message (secrets masked); never the message itself. */
  readonly preview: string;
  readonly dequeueCount?: number;
}

export interface FailuresView {
  readonly queues: readonly string[];
  readonly failures: readonly FailureRow[];
}

export interface FailureCounts {
  /** Failures nobody has dealt with yet, per queue. */
  readonly open: Readonly<Record<string, number>>;
  readonly total: number;
}

const PREVIEW_CHARS = 300;

/** The queues whose messages can be given up on (each has a `-poison` twin). */
export function failureQueues(): string[] {
  return Object.values(QUEUES);
}

/** The Failures page and `cli failures`: the messages the queues gave up on, newest first per queue. */
export async function failuresView(deps: ConsoleDeps, query: FailuresQuery): Promise<FailuresView> {
  const queues = failureQueues();
  if (query.queue && !queues.includes(query.queue)) {
    throw new UnknownQueueError(`no queue "${query.queue}" (queues: ${queues.join(', ')})`);
  }
  const chosen = query.queue ? [query.queue] : queues;
  const lists = await Promise.all(chosen.map((queue) => deps.stores.queueFailures.list(queue, { top: query.limit })));
  const failures = lists
    .flat()
    .sort((a, b) => b.failedAt.localeCompare(a.failedAt))
    .slice(0, query.limit)
    .map((failure) => {
      const preview = maskSecrets(failure.preview, deps.secrets).replace(/\s+/g, ' ');
      return {
        queue: failure.queue,
        id: failure.id,
        failedAt: failure.failedAt,
        reason: maskSecrets(failure.reason, deps.secrets),
        preview: preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS - 1)}…` : preview,
        ...(failure.dequeueCount !== undefined ? { dequeueCount: failure.dequeueCount } : {}),
      };
    });
  return { queues, failures };
}

export class UnknownQueueError extends NotFoundError {
  override readonly name = 'UnknownQueueError';
}

export async function failureCounts(deps: ConsoleDeps): Promise<FailureCounts> {
  const counts = await Promise.all(
    failureQueues().map(
      async (queue) =>
        [queue, (await deps.stores.queueFailures.list(queue, { top: 1000, status: 'open' })).length] as const,
    ),
  );
  const open = Object.fromEntries(counts.filter(([, n]) => n > 0));
  return { open, total: counts.reduce((sum, [, n]) => sum + n, 0) };
}
