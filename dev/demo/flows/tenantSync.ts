import { describeRun, getRunStatus, requireSync, startRun } from '../../../shared/sync';
import type { Stack } from '../../stack';
import type { DemoFlow, FlowSummary } from '../types';

const sync = requireSync('contacts');
let runId: string | undefined;
let startProblem: string | undefined;

/** Microsoft 365 customer tenants → Halo companies and contacts: one run in apply mode over the demo tenants. */
export const demoFlow: DemoFlow = {
  name: 'tenant sync',
  order: 30,
  async kickoff(stack: Stack, say) {
    const result = await startRun(stack.container, sync, { mode: 'apply', trigger: 'demo' });
    if (!result.ok) {
      startProblem = result.message;
      say(`could not start: ${result.message}`);
      return;
    }
    runId = result.runId;
    say(`run ${runId} started in apply mode for ${result.tenants} customer tenants (one queue message each)`);
  },
  async busy(stack: Stack) {
    if (!runId) return false;
    return (await getRunStatus(stack.container, sync, runId))?.run.status === 'running';
  },
  async summarize(stack: Stack): Promise<FlowSummary> {
    const flow = 'tenant sync';
    if (!runId) return { flow, ok: false, lines: [], failures: [startProblem ?? 'no run was started'] };
    const status = await getRunStatus(stack.container, sync, runId);
    if (!status) return { flow, ok: false, lines: [], failures: [`run ${runId} is missing`] };
    const { lines, failures } = describeRun(sync, status);
    const requests = stack.halo.requests().filter((r) => /^\/api\/(client|site|report|users)$/i.test(r.path)).length;
    lines.push(`Halo requests for companies, sites, contacts and reports so far (all flows): ${requests}`);
    if (status.run.status !== 'succeeded') failures.push(`run ${runId} ended ${status.run.status}`);
    return { flow, ok: failures.length === 0, lines, failures };
  },
};
