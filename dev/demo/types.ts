import type { Stack } from '../stack';

/** What one flow did in a demo run: printed by `npm start -- --once`, and the exit code depends on `ok`. */
export interface FlowSummary {
  readonly flow: string;
  readonly ok: boolean;
  /** Human lines: what was done ("ticket 1003 → status Script Succeeded"). */
  readonly lines: readonly string[];
  /** What failed, each with its reason. */
  readonly failures: readonly string[];
}

/**
 * A flow's part in the demo. Files in dev/demo/flows/*.ts export `demoFlow: DemoFlow`; `npm start` discovers them.
 * kickoff() makes something happen in the simulators (an agent adds an action, a mail arrives, ...); the stack's
 * timers and queues then do the work; summarize() reads the outcome from the simulators and state tables.
 */
export interface DemoFlow {
  readonly name: string;
  /** Order among flows (lower first). */
  readonly order: number;
  kickoff(stack: Stack, say: (line: string) => void): Promise<void>;
  /** True while the flow still has work in flight outside the runner's queues (e.g. jobs a worker is running). */
  busy?(stack: Stack): Promise<boolean>;
  summarize(stack: Stack): Promise<FlowSummary>;
}
