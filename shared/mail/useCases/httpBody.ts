import type { HttpRequest } from '@azure/functions';
import { readBodyText } from '../../runtime/httpBody';

/**
 * The JSON body of a Graph POST, or what is wrong with it (413: over the shared size cap; 400: empty or not JSON),
 * never echoing the body itself.
 */
export async function readJsonBody(
  request: HttpRequest,
): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413; error: string }> {
  const body = await readBodyText(request);
  if (!body.ok) return body;
  if (body.text.trim() === '') return { ok: false, status: 400, error: 'body is empty: expected {"value": [...]}' };
  try {
    return { ok: true, value: JSON.parse(body.text) };
  } catch (error) {
    return { ok: false, status: 400, error: `body is not valid JSON: ${(error as Error).message}` };
  }
}
