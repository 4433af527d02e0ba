import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { validationResponse } from '../validation';
import { readJsonBody } from './httpBody';

type Handled = { ok: true } | { ok: false; problems: readonly string[] };

/**
 * How both Graph endpoints answer a POST: the validation handshake when Graph sends a token, else the JSON body
 * handed to `handle`; 202 once it is handled, 400/413 with what was wrong.
 */
export async function answerGraphPost(
  request: HttpRequest,
  bodyName: string,
  handle: (body: unknown) => Promise<Handled>,
): Promise<HttpResponseInit> {
  const handshake = validationResponse(request.query);
  if (handshake) return handshake;
  const body = await readJsonBody(request);
  if (!body.ok) return { status: body.status, jsonBody: { error: body.error } };
  const outcome = await handle(body.value);
  if (!outcome.ok) return { status: 400, jsonBody: { error: `invalid ${bodyName} body`, problems: outcome.problems } };
  return { status: 202 };
}
