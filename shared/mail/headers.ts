import type { GraphMessage } from './graphMessage';

/** The value of an internet message header, matched case-insensitively; the first one when repeated. */
export function headerValue(message: GraphMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const header = message.internetMessageHeaders?.find((h) => h.name.trim().toLowerCase() === wanted);
  if (!header) return undefined;
  return (header.value ?? '').trim();
}
