import { z } from 'zod';

/** What a matching request gets instead of (or before) its normal answer. */
export const faultEffectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    /** Seconds for Retry-After; omitted = no header. */
    retryAfter: z.number().min(0).optional(),
    code: z.string().optional(),
    message: z.string().optional(),
  }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0) }),
  z.object({ kind: z.literal('drop') }),
]);

export const faultRuleSchema = z.object({
  /** A regular expression (as text) tested against the path and query after /v1.0, e.g. `^/users`. */
  path: z.string().optional(),
  method: z.string().optional(),
  tenantId: z.string().optional(),
  /** `request`: top-level requests only; `batch`: items inside $batch only; `token`: the token endpoint. */
  scope: z.enum(['any', 'request', 'batch', 'token']).default('any'),
  /** How many matching requests get the fault (default: all). */
  times: z.number().int().positive().optional(),
  effect: faultEffectSchema,
});

export type FaultEffect = z.infer<typeof faultEffectSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

interface ActiveRule {
  readonly rule: z.output<typeof faultRuleSchema>;
  readonly pattern: RegExp | undefined;
  remaining: number;
}

export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  readonly tenantId: string | undefined;
  readonly scope: 'request' | 'batch' | 'token';
}

/** Fault injection for tests: rules are consumed in the order they were added. */
export class Faults {
  private rules: ActiveRule[] = [];

  add(input: FaultRuleInput): void {
    const rule = faultRuleSchema.parse(input);
    this.rules.push({
      rule,
      pattern: rule.path ? new RegExp(rule.path, 'i') : undefined,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The effects for this request (latency first, then at most one status/drop), consuming their counts. */
  take(target: FaultTarget): FaultEffect[] {
    const effects: FaultEffect[] = [];
    let terminal = false;
    for (const active of this.rules) {
      if (active.remaining <= 0 || !matches(active, target)) continue;
      const isTerminal = active.rule.effect.kind !== 'latency';
      if (isTerminal && terminal) continue;
      active.remaining -= 1;
      effects.push(active.rule.effect);
      if (isTerminal) terminal = true;
    }
    return effects.sort((a, b) => (a.kind === 'latency' ? -1 : 0) - (b.kind === 'latency' ? -1 : 0));
  }
}

function matches(active: ActiveRule, target: FaultTarget): boolean {
  const { rule } = active;
  if (rule.scope === 'token' ? target.scope !== 'token' : target.scope === 'token') return false;
  if (rule.scope === 'request' && target.scope !== 'request') return false;
  if (rule.scope === 'batch' && target.scope !== 'batch') return false;
  if (rule.method && rule.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (rule.tenantId && rule.tenantId.toLowerCase() !== target.tenantId?.toLowerCase()) return false;
  if (active.pattern && !active.pattern.test(target.path)) return false;
  return true;
}
