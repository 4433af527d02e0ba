import type { Stack } from '../stack';
import { discoverDemoFlows } from './discover';
import { settle } from './settle';

/** One pass of every demo flow on a started stack (as `npm start -- --once` runs it, without exiting). */
export async function runDemoOnce(stack: Stack): Promise<boolean> {
  const flows = await discoverDemoFlows();
  for (const flow of flows) await flow.kickoff(stack, () => {});
  for (const name of Object.keys(stack.runner.timerSchedules())) await stack.runner.runTimer(name);
  return settle(stack, flows);
}
