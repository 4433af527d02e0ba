export const MAX_BATCH_SIZE = 20;
const RETRYABLE = new Set([429, 503, 504]);

export interface BatchRequest {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the version, e.g. `/users/{id}?$select=id`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Ids of earlier requests this one waits for; Graph answers 424 when one of them failed. */
  readonly dependsOn?: readonly string[];
}

export interface BatchResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface BatchRetryPlan {
  /** Ids to send again in a new batch. */
  readonly retry: string[];
  /** How long to wait first: the longest Retry-After among them (or the backoff when none said). */
  readonly waitSeconds: number;
}

export function chunk<T>(items: readonly T[], size = MAX_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rejects what Graph would reject for the whole batch: duplicate ids, a body without Content-Type. */
export function batchProblems(requests: readonly BatchRequest[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  requests.forEach((request, index) => {
    if (seen.has(request.id)) problems.push(`requests[${index}].id: duplicate id '${request.id}'`);
    seen.add(request.id);
    if (/^https?:/i.test(request.url)) problems.push(`requests[${index}].url: must be relative, e.g. /users`);
  });
  return problems;
}

/**
 * Which items of a batch answer to send again, and after how long. Items are throttled one by one (429, or
 * 503/504 under load); the SDK does not retry them, so we do, after the longest Retry-After, up to `maxRetries`.
 */
export function planBatchRetry(
  responses: readonly BatchResponse[],
  attempt: number,
  maxRetries: number,
  fallbackSeconds = 2 ** attempt,
): BatchRetryPlan {
  if (attempt >= maxRetries) return { retry: [], waitSeconds: 0 };
  const retry = responses.filter((r) => RETRYABLE.has(r.status));
  if (retry.length === 0) return { retry: [], waitSeconds: 0 };
  const waits = retry.map((r) => retryAfterSeconds(r.headers) ?? fallbackSeconds);
  return { retry: retry.map((r) => r.id), waitSeconds: Math.max(...waits) };
}

export function retryAfterSeconds(headers: Readonly<Record<string, string>>): number | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after');
  if (!entry) return undefined;
  const seconds = Number(entry[1]);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(entry[1]);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Sends requests in batches of 20 and retries throttled items in new batches. Returns every item's final
 * response by id (an item still throttled after the last retry keeps its 429).
 */
export async function runBatches(options: {
  requests: readonly BatchRequest[];
  send: (batch: BatchRequest[]) => Promise<BatchResponse[]>;
  sleep: (ms: number) => Promise<void>;
  maxRetries: number;
}): Promise<Map<string, BatchResponse>> {
  const problems = batchProblems(options.requests);
  if (problems.length > 0) throw new Error(`invalid batch: ${problems.join('; ')}`);
  const byId = new Map(options.requests.map((r) => [r.id, r]));
  const results = new Map<string, BatchResponse>();
  let pending = [...options.requests];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const answered: BatchResponse[] = [];
    for (const part of chunk(pending)) answered.push(...(await options.send(part)));
    for (const response of answered) results.set(response.id, response);
    const plan = planBatchRetry(answered, attempt, options.maxRetries);
    if (plan.retry.length === 0) break;
    await options.sleep(plan.waitSeconds * 1000);
    pending = plan.retry.map((id) => byId.get(id)!);
  }
  return results;
}

/** What stands in for a request the `$batch` answer left out (or answered unreadably): retried like a 503. */
export const MISSING_RESPONSE_CODE = 'MissingBatchResponse';

/**
 * The responses of one `$batch` answer, read item by item: Graph answers them in any order, so they are matched
 * by id; an unreadable item is reported and skipped, and every request without a readable answer gets a 503
 * (so that it is retried, and reported as an outage if it never gets one).
 */
export function readBatchResponses(
  answer: unknown,
  requests: readonly BatchRequest[],
  report: (problem: { index: number; reason: string }) => void = () => {},
): BatchResponse[] {
  const raw = (answer as { responses?: unknown } | null)?.responses;
  const values = Array.isArray(raw) ? raw : [];
  const byId = new Map<string, BatchResponse>();
  values.forEach((value, index) => {
    const item = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const status = typeof item.status === 'number' ? item.status : Number(item.status);
    if (typeof item.id !== 'string' || !Number.isInteger(status)) {
      report({ index, reason: 'a $batch response without a string id and a numeric status' });
      return;
    }
    byId.set(item.id, { id: item.id, status, headers: stringHeaders(item.headers), body: item.body });
  });
  return requests.map(
    (request) =>
      byId.get(request.id) ?? {
        id: request.id,
        status: 503,
        headers: {},
        body: { error: { code: MISSING_RESPONSE_CODE, message: 'Graph answered the $batch without this request' } },
      },
  );
}

function stringHeaders(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => [k, String(v)]),
  );
}
