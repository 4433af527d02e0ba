import { z } from 'zod';
import type { SimRequest, SimResponse } from './http';
import { badRequest, json } from './http';

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
 * POST /$batch: 400 when malformed, over 20 requests or with duplicate ids; otherwise 200 with one response per
 * item, each with its own status (items are run in order through `runItem`).
 */
export async function serveBatch(
  request: SimRequest,
  runItem: (item: BatchItem) => Promise<SimResponse>,
): Promise<SimResponse> {
  const parsed = batchSchema.safeParse(request.body);
  if (!parsed.success) return badRequest('Invalid batch payload format.');
  const items = parsed.data.requests;
  if (items.length > MAX_BATCH_REQUESTS) {
    return badRequest(`Number of requests in the batch exceeds limit of ${MAX_BATCH_REQUESTS}.`);
  }
  if (new Set(items.map((i) => i.id)).size !== items.length) return badRequest('Batch request ids must be unique.');
  const responses = [];
  for (const item of items) {
    const response = await runItem(item);
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    if (response.body !== undefined && typeof response.body !== 'string') headers['Content-Type'] = 'application/json';
    responses.push({
      id: item.id,
      status: response.status,
      headers,
      ...(response.body !== undefined ? { body: response.body } : {}),
    });
  }
  return json(200, { responses });
}
