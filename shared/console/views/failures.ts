import { QUEUES } from '../../storage';
import type { ConsoleDeps } from '../deps';

export interface FailureCounts {
  /** Failures nobody has dealt with yet, per queue. */
  readonly open: Readonly<Record<string, number>>;
  readonly total: number;
}

/** The queues whose messages can be given up on (each has a `-poison` twin). */
export function failureQueues(): string[] {
  return Object.values(QUEUES);
}

export async function failureCounts(deps: ConsoleDeps): Promise<FailureCounts> {
  const counts = await Promise.all(
    failureQueues().map(
      async (queue) => [queue, (await deps.stores.queueFailures.list(queue, { top: 1000 })).length] as const,
    ),
  );
  const open = Object.fromEntries(counts.filter(([, n]) => n > 0));
  return { open, total: counts.reduce((sum, [, n]) => sum + n, 0) };
}
