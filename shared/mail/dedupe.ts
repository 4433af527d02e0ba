import { createHash } from 'node:crypto';
import type { GraphMessage } from './graphMessage';

/**
 * Keys under which a processed message is remembered, so a replayed delta page, an overlapping window scan or the
 * same mail delivered to two of our mailboxes never makes a second ticket. The RFC 5322 Message-ID is the real
 * identity (normalised: angle brackets and case do not matter); the Graph id is the fallback for mail without one.
 * Keys are hex digests: safe as Azure Table row keys whatever characters the ids contain.
 */
export function mailDedupeKeys(mailboxId: string, message: Pick<GraphMessage, 'id' | 'internetMessageId'>): string[] {
  const keys: string[] = [];
  const messageId = message.internetMessageId?.trim().replace(/^<|>$/g, '').toLowerCase();
  if (messageId) keys.push(`imid-${digest(messageId)}`);
  keys.push(`gid-${digest(`${mailboxId}\n${message.id}`)}`);
  return keys;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
