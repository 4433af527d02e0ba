import type { HttpRequest } from '@azure/functions';

/** The most any of our HTTP endpoints accepts (the Halo webhook, tenant-sync start, the Graph notifications). */
export const MAX_HTTP_BODY_BYTES = 1_000_000;

export type BodyText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly status: 413; readonly error: string };

/**
 * The request body as UTF-8 text, or a 413 result once it is known to be over `maxBytes`: first from
 * Content-Length (nothing is read), else while streaming (reading stops at the first byte over the limit). The
 * body is never parsed here, and the error never echoes it.
 */
export async function readBodyText(
  request: Pick<HttpRequest, 'headers' | 'body'>,
  maxBytes: number = MAX_HTTP_BODY_BYTES,
): Promise<BodyText> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > maxBytes) {
    return tooLarge(`Content-Length ${Number(declared)}`, maxBytes);
  }
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge('the body', maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return { ok: true, text: text + decoder.decode() };
}

function tooLarge(what: string, maxBytes: number): BodyText {
  return {
    ok: false,
    status: 413,
    error: `request body too large: ${what} is over the limit of ${maxBytes} bytes (${formatSize(maxBytes)}) for this endpoint`,
  };
}

function formatSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${bytes / 1_000_000} MB` : bytes >= 1000 ? `${bytes / 1000} kB` : `${bytes} B`;
}
