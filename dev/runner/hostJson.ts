import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../../shared/config/zodIssues';

/** `[d.]hh:mm:ss[.fff]`, the TimeSpan format host.json uses, in milliseconds. */
export function parseTimeSpan(text: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a TimeSpan (expected hh:mm:ss)`);
  const [, days, hours, minutes, seconds, fraction] = match;
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  return ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + ms;
}

const timeSpan = z.string().transform((value, ctx) => {
  try {
    return parseTimeSpan(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

// Defaults are the host's for one instance: batchSize 16, newBatchThreshold batchSize / 2, 5 attempts,
// retry at once, poll at most every minute, base64 messages.
const queuesSchema = z
  .object({
    batchSize: z.number().int().min(1).max(32).default(16),
    newBatchThreshold: z.number().int().min(0).optional(),
    maxDequeueCount: z.number().int().min(1).default(5),
    visibilityTimeout: timeSpan.default(0),
    maxPollingInterval: timeSpan.pipe(z.number().min(100, 'must be at least 00:00:00.100')).default(60_000),
    messageEncoding: z.enum(['base64', 'none']).default('base64'),
  })
  .transform((q) => ({ ...q, newBatchThreshold: q.newBatchThreshold ?? Math.floor(q.batchSize / 2) }));

export type QueueSettings = z.output<typeof queuesSchema>;

const hostJsonSchema = z.object({
  version: z.literal('2.0'),
  extensions: z
    .object({
      queues: queuesSchema.default(queuesSchema.parse({})),
      http: z.object({ routePrefix: z.string().default('api') }).default({ routePrefix: 'api' }),
    })
    .default({ queues: queuesSchema.parse({}), http: { routePrefix: 'api' } }),
  functionTimeout: timeSpan.optional(),
});

/** host.json as the runner uses it: TimeSpans in milliseconds, the host's defaults filled in. */
export type HostJson = z.output<typeof hostJsonSchema>;

/** Validates parsed host.json; a rejection lists each wrong field by its JSON path. */
export function parseHostJson(value: unknown, source = 'host.json'): HostJson {
  const parsed = hostJsonSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is invalid: ${formatIssues(parsed.error).join('; ')}`);
  return parsed.data;
}

export function readHostJson(path: string): HostJson {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseHostJson(raw, path);
}
