import type { Container } from '../../app/container';
import { redact } from '../../runtime/redact';
import { CHECKPOINTS } from './scopes';

const MAX_CHARS = 2000;

/**
 * Remembers why a queue message failed, keyed by queue and message key, so that when it lands in the poison queue
 * its failed status can say why (the poison trigger does not get the error). Best effort: never throws.
 */
export async function rememberFailure(
  deps: Pick<Container, 'stores' | 'settings'>,
  queue: string,
  key: string,
  error: unknown,
): Promise<void> {
  const message = redact(error instanceof Error ? error.message : String(error), deps.settings.secretValues);
  await deps.stores.checkpoints
    .put(CHECKPOINTS.lastErrorScope, `${queue}:${key}`, message.slice(0, MAX_CHARS))
    .catch(() => undefined);
}

export async function lastFailure(
  deps: Pick<Container, 'stores'>,
  queue: string,
  key: string,
): Promise<string | undefined> {
  const found = await deps.stores.checkpoints.get(CHECKPOINTS.lastErrorScope, `${queue}:${key}`).catch(() => undefined);
  return found?.value;
}
