import { z } from 'zod';

/** Answer with this status instead of serving the request (nothing is done). */
const statusEffect = z
  .object({
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    /** Retry-After: seconds, or an HTTP date as text; omitted = no header (Halo never sends one). */
    retryAfter: z.union([z.number().min(0), z.string().min(1)]).optional(),
    /** Whose error body to answer with; default: the simulator's own. */
    style: z.enum(['halo', 'graph']).optional(),
    /** Graph error code / message (Graph style), or the message (Halo style). */
    code: z.string().optional(),
    message: z.string().optional(),
    /** An exact body instead of the styled one (a string is sent as text). */
    body: z.unknown().optional(),
  })
  .strict();

/** Wait, then serve normally (latency adds up across matching rules). */
const latencyEffect = z.object({ kind: z.literal('latency'), ms: z.number().int().min(0) }).strict();

/** Destroy the connection without an answer, before anything is done. */
const dropEffect = z.object({ kind: z.literal('drop') }).strict();

/**
 * Serve the request (the write happens), then lose the answer: drop the connection, or answer a gateway's 502 / 504.
 * Inside a Graph `$batch` the item runs and its answer becomes a 504 (an item cannot be dropped on its own).
 */
const lostAnswerEffect = z
  .object({
    kind: z.literal('lostAnswer'),
    answer: z.union([z.literal('drop'), z.literal(502), z.literal(504)]).default('drop'),
  })
  .strict();

export const faultEffectSchema = z.discriminatedUnion('kind', [
  statusEffect,
  latencyEffect,
  dropEffect,
  lostAnswerEffect,
]);

export const faultRuleSchema = z
  .object({
    /** A label for counters and logs. */
    name: z.string().min(1).optional(),
    /** A regular expression (case-insensitive) tested against the path and query, e.g. `^/api/Tickets` or `/move`. */
    path: z
      .string()
      .optional()
      .refine((p) => p === undefined || isRegExp(p), { message: 'must be a valid regular expression' }),
    method: z.string().min(1).optional(),
    /** Graph: the tenant the token belongs to (case-insensitive). */
    tenantId: z.string().min(1).optional(),
    /**
     * `any` (default): top-level requests and `$batch` items; `request`: top-level only; `batch`: `$batch` items
     * only; `token`: the token endpoint (never matched by the others).
     */
    scope: z.enum(['any', 'request', 'batch', 'token']).default('any'),
    /** Matching requests let through before the rule applies (e.g. 2 = from the third on). */
    after: z.number().int().min(0).default(0),
    /** Fires at most this many times; omitted = no limit. */
    times: z.number().int().positive().optional(),
    /** Chance that a matching request gets the fault, drawn from the rule set's seeded PRNG; omitted = always. */
    probability: z.number().min(0).max(1).optional(),
    effect: faultEffectSchema,
  })
  .strict();

/** A whole rule set: replacing it also reseeds the PRNG, so that a run can be reproduced from its seed. */
export const faultRuleSetSchema = z
  .object({ seed: z.number().int().optional(), rules: z.array(faultRuleSchema).default([]) })
  .strict();

export type FaultEffect = z.output<typeof faultEffectSchema>;
export type FaultRule = z.input<typeof faultRuleSchema>;
export type ParsedFaultRule = z.output<typeof faultRuleSchema>;
export type FaultRuleSet = z.input<typeof faultRuleSetSchema>;

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}
