import type { HttpRequest } from '@azure/functions';

const MAX_BODY_BYTES = 1_000_000;

/** The JSON body of a Graph POST, or what is wrong with it (size, syntax), never echoing the body itself. */
export async function readJsonBody(
  request: HttpRequest,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES)
    return { ok: false, error: `body is over ${MAX_BODY_BYTES} bytes` };
  if (text.trim() === '') return { ok: false, error: 'body is empty: expected {"value": [...]}' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `body is not valid JSON: ${(error as Error).message}` };
  }
}
