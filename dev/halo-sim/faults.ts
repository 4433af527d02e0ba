import { z } from 'zod';

/**
 * Fault injection: each rule applies to the next `times` matching requests (or `'always'`), optionally only where
 * the path contains `path` (case-insensitive) and the method matches. `status` answers that status (429 with the
 * rate-limit message, Retry-After only when given); `latency` delays, then serves normally; `drop` destroys the
 * socket without an answer.
 */
export const faultRuleSchema = z
  .object({
    kind: z.enum(['status', 'latency', 'drop']),
    status: z.number().int().min(400).max(599).optional(),
    retryAfter: z.union([z.number().nonnegative(), z.string()]).optional(),
    body: z.unknown().optional(),
    latencyMs: z.number().int().nonnegative().optional(),
    path: z.string().optional(),
    method: z.string().optional(),
    times: z.union([z.number().int().positive(), z.literal('always')]).default(1),
  })
  .strict();

export type FaultRule = z.input<typeof faultRuleSchema>;
type ActiveRule = z.output<typeof faultRuleSchema>;

export interface FaultAction {
  latencyMs: number;
  respond?: { status: number; retryAfter?: string; body: unknown };
  drop: boolean;
}

export interface Faults {
  add(rule: FaultRule): void;
  /** Shortcuts for the common cases. */
  rateLimit(options?: { times?: number; retryAfter?: number; path?: string }): void;
  serverError(options?: { times?: number; status?: number; path?: string }): void;
  drop(options?: { times?: number; path?: string }): void;
  latency(latencyMs: number, options?: { times?: number | 'always'; path?: string }): void;
  clear(): void;
  list(): readonly ActiveRule[];
  /** What to do with a request; consumes the matching rules. */
  take(method: string, path: string, rateLimitMessage: string): FaultAction;
}

export function createFaults(): Faults {
  let rules: ActiveRule[] = [];
  const matches = (rule: ActiveRule, method: string, path: string) =>
    (!rule.path || path.toLowerCase().includes(rule.path.toLowerCase())) &&
    (!rule.method || rule.method.toUpperCase() === method.toUpperCase());
  const consume = (rule: ActiveRule) => {
    if (rule.times === 'always') return;
    rule.times -= 1;
    if (rule.times <= 0) rules = rules.filter((r) => r !== rule);
  };
  const faults: Faults = {
    add(rule) {
      rules.push(faultRuleSchema.parse(rule));
    },
    rateLimit: (o = {}) =>
      faults.add({ kind: 'status', status: 429, times: o.times ?? 1, retryAfter: o.retryAfter, path: o.path }),
    serverError: (o = {}) => faults.add({ kind: 'status', status: o.status ?? 500, times: o.times ?? 1, path: o.path }),
    drop: (o = {}) => faults.add({ kind: 'drop', times: o.times ?? 1, path: o.path }),
    latency: (latencyMs, o = {}) => faults.add({ kind: 'latency', latencyMs, times: o.times ?? 1, path: o.path }),
    clear() {
      rules = [];
    },
    list: () => rules,
    take(method, path, rateLimitMessage) {
      const action: FaultAction = { latencyMs: 0, drop: false };
      for (const rule of [...rules]) {
        if (!matches(rule, method, path)) continue;
        if (rule.kind === 'latency') {
          action.latencyMs += rule.latencyMs ?? 0;
          consume(rule);
          continue;
        }
        if (action.respond || action.drop) continue;
        consume(rule);
        if (rule.kind === 'drop') {
          action.drop = true;
          continue;
        }
        const status = rule.status ?? 500;
        const body =
          rule.body ??
          (status === 429 ? rateLimitMessage : { ClassName: 'System.Exception', Message: 'Simulated fault' });
        action.respond = {
          status,
          body,
          retryAfter: rule.retryAfter === undefined ? undefined : String(rule.retryAfter),
        };
      }
      return action;
    },
  };
  return faults;
}
