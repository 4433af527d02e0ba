import { mulberry32 } from '../../shared/runtime/random';
import {
  type FaultEffect,
  type FaultRule,
  type FaultRuleSet,
  faultRuleSchema,
  faultRuleSetSchema,
  type ParsedFaultRule,
} from './rules';

export type FaultScope = 'request' | 'batch' | 'token';

/** What a simulator knows about a request when it asks for its faults. */
export interface FaultTarget {
  readonly method: string;
  /** Path and query as the simulator sees them (e.g. `/api/Tickets?page_no=2`, `/users/x/sendMail`). */
  readonly path: string;
  readonly tenantId?: string | undefined;
  readonly scope: FaultScope;
}

export type TerminalEffect = Exclude<FaultEffect, { kind: 'latency' }>;

/** The faults for one request: a delay, then at most one status, drop or lost answer. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly terminal: TerminalEffect | undefined;
  /** Names (or ids) of the rules that fired, for the simulator's request log. */
  readonly fired: readonly string[];
}

export interface ActiveFaultRule extends ParsedFaultRule {
  readonly id: string;
  /** Matching requests seen (before `after` and probability). */
  matched: number;
  fired: number;
}

export interface FaultState {
  readonly seed: number;
  readonly rules: readonly ActiveFaultRule[];
}

export const DEFAULT_FAULT_SEED = 1;

/**
 * The fault engine both simulators share: rules by count (`times`, `after`) and by probability (seeded, so that a
 * run is reproducible), matched by path (regex), method, tenant and scope. Rules are consulted in the order they
 * were added: every matching latency rule adds its delay, the first terminal rule that fires decides the answer,
 * and later terminal rules are not consulted. A rule with a probability draws one number each time it is consulted
 * past its `after` and `times` checks, so the same seed and the same sequence of requests give the same faults.
 */
export class FaultEngine {
  private rules: ActiveFaultRule[] = [];
  private random: () => number;
  private currentSeed: number;
  private nextId = 1;

  constructor(options: { seed?: number } = {}) {
    this.currentSeed = options.seed ?? DEFAULT_FAULT_SEED;
    this.random = mulberry32(this.currentSeed);
  }

  get seed(): number {
    return this.currentSeed;
  }

  /** Adds rules (validated; throws a ZodError naming the field). Returns the added rules with their ids. */
  add(input: FaultRule | readonly FaultRule[]): ActiveFaultRule[] {
    const inputs = Array.isArray(input) ? input : [input as FaultRule];
    const parsed = inputs.map((rule) => faultRuleSchema.parse(rule));
    const added = parsed.map((rule) => ({ ...rule, id: `f${this.nextId++}`, matched: 0, fired: 0 }));
    this.rules.push(...added);
    return added;
  }

  /** Replaces every rule and restarts the PRNG from the set's seed (or the current one). */
  load(set: FaultRuleSet): FaultState {
    const parsed = faultRuleSetSchema.parse(set);
    this.clear();
    this.reseed(parsed.seed ?? this.currentSeed);
    this.add(parsed.rules);
    return this.state();
  }

  reseed(seed: number): void {
    this.currentSeed = seed;
    this.random = mulberry32(seed);
  }

  clear(): void {
    this.rules = [];
  }

  state(): FaultState {
    return { seed: this.currentSeed, rules: this.rules.map((rule) => ({ ...rule })) };
  }

  /** How often each rule fired, by name (or id). */
  firedCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const rule of this.rules) out[rule.name ?? rule.id] = (out[rule.name ?? rule.id] ?? 0) + rule.fired;
    return out;
  }

  decide(target: FaultTarget): FaultDecision {
    let latencyMs = 0;
    let terminal: TerminalEffect | undefined;
    const fired: string[] = [];
    for (const rule of this.rules) {
      if (terminal && rule.effect.kind !== 'latency') continue;
      if (!matches(rule, target)) continue;
      rule.matched++;
      if (rule.matched <= rule.after) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.fired++;
      fired.push(rule.name ?? rule.id);
      if (rule.effect.kind === 'latency') latencyMs += rule.effect.ms;
      else terminal = rule.effect;
    }
    return { latencyMs, terminal, fired };
  }
}

const patterns = new WeakMap<ParsedFaultRule, RegExp>();

function matches(rule: ParsedFaultRule, target: FaultTarget): boolean {
  if (rule.scope === 'token' ? target.scope !== 'token' : target.scope === 'token') return false;
  if (rule.scope === 'request' && target.scope !== 'request') return false;
  if (rule.scope === 'batch' && target.scope !== 'batch') return false;
  if (rule.method && rule.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (rule.tenantId && rule.tenantId.toLowerCase() !== target.tenantId?.toLowerCase()) return false;
  if (rule.path !== undefined) {
    let pattern = patterns.get(rule);
    if (!pattern) {
      pattern = new RegExp(rule.path, 'i');
      patterns.set(rule, pattern);
    }
    if (!pattern.test(target.path)) return false;
  }
  return true;
}
