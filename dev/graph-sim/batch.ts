import { z } from 'zod';
import type { SimRequest, SimResponse } from './http';
import { badRequest, graphError, json } from './http';

const batchSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

export const MAX_BATCH_REQUESTS = 20;

export type BatchItem = z.infer<typeof batchSchema>['requests'][number];

/**
 * POST /$batch as Graph answers it (learn: graph/json-batching): 400 for the whole batch when it is malformed, over
 * 20 requests, has duplicate ids, a body without a Content-Type header or a `dependsOn` naming an unknown id;
 * otherwise 200 with one response per item, each with its own status and headers. An item whose `dependsOn`
 * failed is not run and gets 424 Failed Dependency. Responses come back in an order of Graph's choosing (here:
 * reversed), so that clients must match them by id.
 */
export async function serveBatch(
  request: SimRequest,
  runItem: (item: BatchItem) => Promise<SimResponse>,
): Promise<SimResponse> {
  const parsed = batchSchema.safeParse(request.body);
  if (!parsed.success) return badRequest('Invalid batch payload format.');
  const items = parsed.data.requests;
  const problem = batchProblem(items);
  if (problem) return badRequest(problem);
  const statuses = new Map<string, number>();
  const responses = [];
  for (const item of items) {
    const failed = (item.dependsOn ?? []).find((id) => !isSuccess(statuses.get(id)));
    const response = failed
      ? graphError(424, 'FailedDependency', `The request depends on request '${failed}', which failed.`)
      : await runItem(item);
    statuses.set(item.id, response.status);
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    if (response.body !== undefined && typeof response.body !== 'string') headers['Content-Type'] = 'application/json';
    responses.push({
      id: item.id,
      status: response.status,
      headers,
      ...(response.body !== undefined ? { body: response.body } : {}),
    });
  }
  return json(200, { responses: responses.reverse() });
}

function batchProblem(items: readonly BatchItem[]): string | undefined {
  if (items.length > MAX_BATCH_REQUESTS) {
    return `Number of requests in the batch exceeds limit of ${MAX_BATCH_REQUESTS}.`;
  }
  if (new Set(items.map((i) => i.id)).size !== items.length) return 'Batch request ids must be unique.';
  const ids = new Set(items.map((i) => i.id));
  for (const item of items) {
    const hasContentType = Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    if (item.body !== undefined && !hasContentType) {
      return `Request '${item.id}': a request with a body must have a Content-Type header.`;
    }
    const unknown = (item.dependsOn ?? []).find((id) => !ids.has(id) || id === item.id);
    if (unknown !== undefined) return `Request '${item.id}' depends on '${unknown}', which is not in the batch.`;
  }
  return undefined;
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
