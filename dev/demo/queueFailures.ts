import type { Container } from '../../shared/app/container';

/**
 * One line per queue message given up on since `since` (malformed, rejected, failed on every delivery, or not
 * decodable), for the `--once` summaries: such a message ends as a recorded failure, not as a failed invocation.
 */
export async function queueFailureLines(container: Pick<Container, 'stores'>, since: Date): Promise<string[]> {
  const failures = await container.stores.queueFailures.list(undefined, { status: 'open' });
  return failures
    .filter((failure) => Date.parse(failure.failedAt) >= since.getTime())
    .map((failure) => `queue ${failure.queue}: message ${failure.kind} (${failure.reason}): ${failure.preview}`);
}
