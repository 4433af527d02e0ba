import type { BatchRequest, BatchResponse } from './batch';
import type { GraphRequester } from './client';
import { type GraphAccessError, type GraphCallContext, toGraphAccessError } from './errors';

/** One request of a `$batch`, answered: its body, or what went wrong as an explained GraphAccessError. */
export type BatchItemOutcome = { ok: true; status: number; body: unknown } | { ok: false; error: GraphAccessError };

/**
 * Sends requests through `$batch` (20 per HTTP request, throttled items retried) and explains each failed item
 * the way a failed single request is explained, so that callers treat both alike.
 */
export async function batchItems(
  graph: GraphRequester,
  requests: readonly BatchRequest[],
  context: Omit<GraphCallContext, 'tenantId'>,
): Promise<Map<string, BatchItemOutcome>> {
  const out = new Map<string, BatchItemOutcome>();
  if (requests.length === 0) return out;
  const responses = await graph.batch(requests);
  for (const request of requests) {
    const response = responses.get(request.id);
    out.set(request.id, outcomeOf(response, { ...context, tenantId: graph.tenantId }));
  }
  return out;
}

function outcomeOf(response: BatchResponse | undefined, context: GraphCallContext): BatchItemOutcome {
  if (response && response.status >= 200 && response.status < 300) {
    return { ok: true, status: response.status, body: response.body };
  }
  const error = (response?.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const failure = {
    statusCode: response?.status,
    code: typeof error?.code === 'string' ? error.code : undefined,
    message: typeof error?.message === 'string' ? error.message : '',
  };
  return { ok: false, error: toGraphAccessError(failure, context) };
}
