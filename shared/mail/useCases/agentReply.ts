import type { Container } from '../../app/container';
import type { QueuedHaloEvent } from '../../automation';
import { type HaloAction, HaloApiError, type HaloClient } from '../../halo';
import { explainMailError } from '../errors';
import { outgoingActionEventSchema, outgoingMailFromAction } from '../outgoing';
import { mailboxForClient, ownMailboxAddresses } from './mailboxes';

export type AgentReplyOutcome = { outcome: 'sent' | 'skipped' | 'failed'; detail: string };

export const AGENT_REPLY_SCOPE = 'agent-reply';
/** A claim this old that never completed (its sender crashed mid-way) may be retried. */
const STALE_CLAIM_MS = 10 * 60_000;

/**
 * Sends the email an agent's Halo action carries to the customer, from the ticket's mailbox, with the ticket tag in
 * the subject. Idempotent per (ticket, action): a redelivered or retried event never sends a second mail.
 * Halo requests: none when the webhook's full payload shows the action has no email; otherwise the action's single
 * GET (plus the list, when the event names no action) and getTicket; Graph: one sendMail.
 */
export async function sendAgentReplyForEvent(
  event: QueuedHaloEvent,
  deps: Pick<Container, 'config' | 'halo' | 'graph' | 'stores' | 'log'>,
): Promise<AgentReplyOutcome> {
  if (event.kind !== 'action' || event.ticketId === undefined)
    return { outcome: 'skipped', detail: 'not an action event about a ticket' };
  const ticketId = event.ticketId;
  if (deps.config.mailboxes.length === 0) return { outcome: 'skipped', detail: 'no mailbox is configured' };
  if (!deps.graph) return { outcome: 'skipped', detail: 'Microsoft Graph is not configured' };
  if (event.actionHasEmail === false)
    return { outcome: 'skipped', detail: `the webhook says action ${event.actionId ?? ''} carries no email`.trim() };

  let action: HaloAction | undefined;
  let ticket: Awaited<ReturnType<Container['halo']['getTicket']>>;
  try {
    // Without an action id (an "event information only" webhook) the newest action is the one the event is about.
    const actionId = event.actionId ?? (await newestActionId(deps.halo, ticketId));
    if (actionId === undefined) return { outcome: 'skipped', detail: `ticket ${ticketId} has no actions` };
    // List rows carry neither the HTML note nor the email fields: only the single GET with includeemail does.
    action = await deps.halo.getAction(ticketId, actionId, { includeEmail: true });
    ticket = await deps.halo.getTicket(ticketId, { includeDetails: false });
  } catch (error) {
    if (error instanceof HaloApiError && error.status === 404)
      return { outcome: 'skipped', detail: `ticket ${ticketId} has no action ${event.actionId ?? ''}`.trim() };
    return { outcome: 'failed', detail: `reading ticket ${ticketId} from Halo failed: ${messageOf(error)}` };
  }

  const parsed = outgoingActionEventSchema.safeParse({ ticketId, action, ticket });
  if (!parsed.success)
    return { outcome: 'skipped', detail: `action ${action.id} of ticket ${ticketId} is not an email` };
  const mailbox = mailboxForClient(deps.config, ticket.client_id ?? undefined)!;
  const mail = outgoingMailFromAction(parsed.data, mailbox, ownMailboxAddresses(deps.config));
  if (!mail.send) return { outcome: 'skipped', detail: `action ${action.id} of ticket ${ticketId}: ${mail.reason}` };

  const key = `${ticketId}:${action.id}`;
  const claim = await deps.stores.dedupe.claim(
    AGENT_REPLY_SCOPE,
    key,
    { mailbox: mailbox.id, subject: mail.send.message.subject },
    { staleAfterMs: STALE_CLAIM_MS },
  );
  if (!claim.claimed) {
    const state = claim.existing.status === 'completed' ? 'was already sent' : 'is being sent by another invocation';
    return { outcome: 'skipped', detail: `the email of action ${action.id} on ticket ${ticketId} ${state}` };
  }
  const { message } = mail.send;
  try {
    await deps.graph.forTenant(mailbox.tenantId).sendMail(
      mailbox.address,
      {
        subject: message.subject,
        body: { contentType: 'html', content: message.body.content },
        toRecipients: message.toRecipients,
        ccRecipients: message.ccRecipients,
      },
      { saveToSentItems: true },
    );
  } catch (error) {
    // Not sent: give the claim back so that a retry of the event may send it.
    await deps.stores.dedupe.release(AGENT_REPLY_SCOPE, key);
    const explained = explainMailError(asErrorLike(error), { operation: 'send', mailbox: mailbox.address });
    deps.log.warn('agent reply not sent', { ticketId, actionId: action.id, reason: explained.message });
    return { outcome: 'failed', detail: explained.message };
  }
  await deps.stores.dedupe.complete(AGENT_REPLY_SCOPE, key, { mailbox: mailbox.id, recipients: mail.recipients });
  return {
    outcome: 'sent',
    detail: `sent "${message.subject}" from ${mailbox.address} to ${mail.recipients} recipient(s)`,
  };
}

async function newestActionId(halo: HaloClient, ticketId: number): Promise<number | undefined> {
  const actions = await halo.listActions(ticketId);
  return actions.reduce<number | undefined>(
    (newest, a) => (newest === undefined || a.id > newest ? a.id : newest),
    undefined,
  );
}

export function asErrorLike(error: unknown): { status?: number; code?: string; message?: string } {
  if (error instanceof Error) {
    const e = error as Error & { status?: unknown; graphCode?: unknown; code?: unknown };
    return {
      status: typeof e.status === 'number' ? e.status : undefined,
      code: typeof e.graphCode === 'string' ? e.graphCode : typeof e.code === 'string' ? e.code : undefined,
      message: e.message,
    };
  }
  return { message: String(error) };
}

function messageOf(error: unknown): string {
  return explainMailError(asErrorLike(error)).message;
}
