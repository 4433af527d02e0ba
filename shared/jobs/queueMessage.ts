/**
 * Queue message bodies are base64 of UTF-8 JSON, which is what the Functions host's queue trigger decodes by
 * default. Decoding also accepts plain JSON, so hand-made test messages work.
 */
export function encodeQueueMessage(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

export function decodeQueueMessage(text: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  const trimmed = text.trim();
  const json = trimmed.startsWith('{') ? trimmed : Buffer.from(trimmed, 'base64').toString('utf8');
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch {
    return { ok: false, detail: 'the message is neither JSON nor base64-encoded JSON' };
  }
}
