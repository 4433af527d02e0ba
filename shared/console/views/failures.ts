import { z } from 'zod';
import { jobsQueueName, QUEUE_FAILURE_STATUSES, QUEUES, type QueueFailure } from '../../storage';
import type { ConsoleDeps } from '../deps';
import { maskSecrets } from '../mask';
import { pageLimit } from '../query';
import { NotFoundError } from './notFound';

export const failuresQuerySchema = z
  .object({
    queue: z.string().trim().min(1).optional(),
    /** `open` (not replayed or dismissed yet), `replayed`, `dismissed`, …; all when absent. */
    status: z.enum(QUEUE_FAILURE_STATUSES).optional(),
    limit: pageLimit(500, 100),
  })
  .strict();
export type FailuresQuery = z.output<typeof failuresQuerySchema>;

export interface FailureRow {
  readonly queue: string;
  readonly id: string;
  readonly failedAt: string;
  /** malformed, rejected, exhausted or undeliverable. */
  readonly kind: string;
  /** open, replaying, replayed or dismissed. */
  readonly status: string;
  /** Whether Replay can send it back (the message was kept, and it would not only be refused again). */
  readonly replayable: boolean;
  /** Why the message was given up on, in words (secrets masked). */
  readonly reason: string;
  /** A short preview of the message (secrets masked); never the message itself. */
  readonly preview: string;
  readonly dequeueCount?: number;
  readonly replayedAt?: string;
  readonly dismissedAt?: string;
  /** What the person who dismissed it wrote. */
  readonly note?: string;
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

/** The queues whose messages can be given up on: the flows' queues and each worker group's jobs queue. */
export function failureQueues(deps: Pick<ConsoleDeps, 'config'>): string[] {
  const groups = new Set(deps.config.workers.map((w) => w.group));
  return [...Object.values(QUEUES), ...[...groups].map(jobsQueueName)];
}

/** The Failures page and `cli failures`: the messages the queues gave up on, newest first. */
export async function failuresView(deps: ConsoleDeps, query: FailuresQuery): Promise<FailuresView> {
  const queues = failureQueues(deps);
  if (query.queue && !queues.includes(query.queue)) {
    throw new UnknownQueueError(`no queue "${query.queue}" (queues: ${queues.join(', ')})`);
  }
  // Each queue's newest (a list across queues is in queue order, not time order).
  const options = { top: query.limit, ...(query.status ? { status: query.status } : {}) };
  const chosen = query.queue ? [query.queue] : queues;
  const lists = await Promise.all(chosen.map((queue) => deps.stores.queueFailures.list(queue, options)));
  const failures = lists
    .flat()
    .sort((a, b) => b.failedAt.localeCompare(a.failedAt))
    .slice(0, query.limit)
    .map((failure) => failureRow(deps, failure));
  return { queues, failures };
}

/** One failure as the console shows it: masked, the preview cut short. */
export function failureRow(deps: Pick<ConsoleDeps, 'secrets'>, failure: QueueFailure): FailureRow {
  const preview = maskSecrets(failure.preview, deps.secrets).replace(/\s+/g, ' ');
  return {
    queue: failure.queue,
    id: failure.id,
    failedAt: failure.failedAt,
    kind: failure.kind,
    status: failure.status,
    replayable: failure.replayable,
    reason: maskSecrets(failure.reason, deps.secrets),
    preview: preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS - 1)}…` : preview,
    ...(failure.dequeueCount !== undefined ? { dequeueCount: failure.dequeueCount } : {}),
    ...(failure.replayedAt ? { replayedAt: failure.replayedAt } : {}),
    ...(failure.dismissedAt ? { dismissedAt: failure.dismissedAt } : {}),
    ...(failure.note ? { note: maskSecrets(failure.note, deps.secrets) } : {}),
  };
}

export class UnknownQueueError extends NotFoundError {
  override readonly name = 'UnknownQueueError';
}

/** Failures nobody has replayed or dismissed yet, per queue (every queue's, in one read). */
export async function failureCounts(deps: ConsoleDeps): Promise<FailureCounts> {
  const open: Record<string, number> = {};
  for (const failure of await deps.stores.queueFailures.list(undefined, { top: 1000, status: 'open' })) {
    open[failure.queue] = (open[failure.queue] ?? 0) + 1;
  }
  return { open, total: Object.values(open).reduce((sum, n) => sum + n, 0) };
}
