import type { Container } from '../../app/container';
import { sendAgentReplyForEvent } from '../../mail/useCases/agentReply';
import { jobIdFor } from '../buildJob';
import type { QueuedHaloEvent } from '../haloWebhook';
import { requiredReads, resolveParameters, type TicketData } from '../parameters';
import { routeEvent } from '../routing';
import { type EnqueueOutcome, enqueueJob, failRunRequest } from './enqueueJob';
import { DEDUPE } from './scopes';
import { readTicketData } from './ticketData';

export interface EventOutcome {
  readonly jobs: readonly EnqueueOutcome[];
  /** Why no script (or fewer than all) ran. */
  readonly reasons: readonly string[];
  readonly reply?: { readonly outcome: 'sent' | 'skipped' | 'failed' | 'unknown'; readonly detail: string };
}

/**
 * One `halo-events` event: the scripts it triggers become signed jobs (parameters resolved from the ticket, read
 * once), and an action event also goes to the mail flow's agent reply. Idempotent: a retry or redelivery finds
 * the jobs already queued and reads nothing from Halo for them. Throws (so the message is retried) when a job is
 * being queued elsewhere or the agent reply failed; jobs already queued stay queued once.
 */
export async function handleHaloEvent(deps: Container, event: QueuedHaloEvent): Promise<EventOutcome> {
  const routed = routeEvent(event, { scripts: deps.config.scripts, triggers: deps.config.triggers });
  const pending = [];
  const jobs: EnqueueOutcome[] = [];
  for (const request of routed.requests) {
    const jobId = jobIdFor(request.dedupeKey);
    if ((await deps.stores.dedupe.get(DEDUPE.job, jobId))?.status === 'completed') {
      jobs.push({ kind: 'duplicate', jobId });
    } else pending.push(request);
  }
  if (pending.length > 0 && event.ticketId !== undefined) {
    const needs = requiredReads(pending.flatMap((r) => r.script.parameters));
    const data: TicketData = await readTicketData(deps.halo, event.ticketId, needs);
    for (const request of pending) {
      const resolved = resolveParameters(request.script.parameters, data);
      jobs.push(
        resolved.ok
          ? await enqueueJob(deps, request, resolved.parameters)
          : await failRunRequest(deps, request, resolved.problems),
      );
    }
  }
  const busy = jobs.filter((j) => j.kind === 'inProgress').map((j) => j.jobId);
  if (busy.length > 0) throw new Error(`jobs ${busy.join(', ')} are being queued by another invocation; retrying`);

  if (event.kind !== 'action') return { jobs, reasons: routed.reasons };
  const reply = await sendAgentReplyForEvent(event, deps);
  if (reply.outcome === 'failed') throw new Error(`the agent reply was not sent: ${reply.detail}`);
  return { jobs, reasons: routed.reasons, reply };
}
