import { odata } from '@azure/data-tables';
import { jobIdFor } from '../../../shared/automation';
import type { Stack } from '../../stack';
import type { DemoFlow, FlowSummary } from '../types';

const FLOW = 'script automation';
const TICKET = 1001;
const SAY_HELLO = 32;
const SCRIPT_SUCCEEDED = 18;

let started: { recordId: number; outcome: string } | undefined;
let startProblem: string | undefined;

/**
 * An agent adds the "Say Hello" action to ticket 1001 in Halo, whose outcome queues the "Demo: hello" script in
 * Halo's PowerShell queue. The webhook triggers a poll of that queue, the record becomes a signed job, the real
 * worker runs hello.sh, and its result moves the ticket to Script Succeeded and marks the record processed.
 */
export const demoFlow: DemoFlow = {
  name: FLOW,
  order: 10,
  async kickoff(stack: Stack, say) {
    try {
      const { action, scriptRun, deliveries } = await stack.halo.agentAddsAction({
        ticket_id: TICKET,
        outcome_id: SAY_HELLO,
        note: 'Saying hello from the demo.',
      });
      if (!scriptRun) throw new Error(`outcome ${SAY_HELLO} queued no script in Halo`);
      started = { recordId: Number(scriptRun.id), outcome: String(action?.outcome ?? 'Say Hello') };
      const answers = deliveries.map((d) => d.responsestatus).join(', ') || 'none';
      say(
        `agent added '${started.outcome}' to ticket ${TICKET}: Halo queued script run ${started.recordId} and sent the webhook (answered ${answers})`,
      );
    } catch (error) {
      startProblem = (error as Error).message;
      say(`could not start: ${startProblem}`);
    }
  },
  async busy(stack: Stack) {
    const open = await stack.container.stores.jobs.list({
      filter: odata`status eq ${'queued'} or status eq ${'running'}`,
      top: 1,
    });
    return open.length > 0;
  },
  async summarize(stack: Stack): Promise<FlowSummary> {
    if (!started) return { flow: FLOW, ok: false, lines: [], failures: [startProblem ?? 'nothing was started'] };
    const jobId = jobIdFor(`haloScriptQueue:${started.recordId}`);
    const job = await stack.container.stores.jobs.get(jobId);
    const ticket = stack.halo.store.tables.tickets.get(TICKET);
    const statusName = stack.halo.store.tables.statuses.get(Number(ticket?.status_id))?.name ?? ticket?.status_id;
    const record = stack.halo.store.tables.scriptRuns.get(started.recordId);
    const failures: string[] = [];
    const lines: string[] = [];
    if (!job) failures.push(`Halo script run ${started.recordId} did not become a job`);
    else {
      lines.push(
        `ticket ${TICKET}: '${started.outcome}' ran ${job.script} on ${job.workerId ?? '(no worker yet)'} → job ${job.status}, ticket status ${statusName}`,
      );
      if (job.status !== 'succeeded')
        failures.push(`job ${jobId} is ${job.status}${job.error ? `: ${job.error}` : ''}`);
    }
    if (ticket?.status_id !== SCRIPT_SUCCEEDED) failures.push(`ticket ${TICKET} is not in status Script Succeeded`);
    lines.push(
      `Halo script run ${started.recordId}: processed ${record?.processed === true}, success ${record?.success === true}`,
    );
    if (record?.processed !== true) failures.push(`Halo script run ${started.recordId} was not marked processed`);
    const jobs = await stack.container.stores.jobs.list();
    lines.push(`jobs table: ${jobs.length} job(s), ${jobs.filter((j) => j.status === 'succeeded').length} succeeded`);
    return { flow: FLOW, ok: failures.length === 0, lines, failures };
  },
};
