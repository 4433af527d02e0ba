import { z } from 'zod';
import type { FaultEngine, FaultState } from './engine';
import { faultRuleSchema, faultRuleSetSchema } from './rules';

export interface ControlAnswer {
  readonly status: number;
  readonly body: FaultState | { error: string };
}

const addBody = z.union([z.array(faultRuleSchema), faultRuleSetSchema, faultRuleSchema]);

/**
 * `/_sim/faults` on both simulators:
 * - `GET` → the seed and the rules with their counters;
 * - `POST` a rule, an array of rules, or `{seed?, rules}` → adds them (a seed restarts the PRNG);
 * - `PUT {seed?, rules}` → replaces every rule (and reseeds);
 * - `DELETE` → removes every rule.
 * Every answer is the resulting state; a bad rule is a 400 naming the field.
 */
export function faultControl(engine: FaultEngine, method: string, body: unknown): ControlAnswer {
  switch (method.toUpperCase()) {
    case 'GET':
      return { status: 200, body: engine.state() };
    case 'DELETE':
      engine.clear();
      return { status: 200, body: engine.state() };
    case 'PUT': {
      const parsed = faultRuleSetSchema.safeParse(body ?? {});
      if (!parsed.success) return invalid(parsed.error);
      return { status: 200, body: engine.load(parsed.data) };
    }
    case 'POST': {
      const parsed = addBody.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const value = parsed.data;
      if (Array.isArray(value)) engine.add(value);
      else if ('effect' in value) engine.add(value);
      else {
        if (value.seed !== undefined) engine.reseed(value.seed);
        engine.add(value.rules);
      }
      return { status: 200, body: engine.state() };
    }
    default:
      return { status: 405, body: { error: `${method} is not supported on /_sim/faults` } };
  }
}

function invalid(error: z.ZodError): ControlAnswer {
  const text = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return { status: 400, body: { error: text } };
}
