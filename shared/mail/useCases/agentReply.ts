import type { Container } from '../../app/container';
import type { QueuedHaloEvent } from '../../automation';
import { type HaloAction, HaloApiError, type HaloClient } from '../../halo';
import { explainMailError } from '../errors';
import { outgoingActionEventSchema, outgoingMailFromAction } from '../outgoing';
import { mailboxForClient, ownMailboxAddresses } from './mailboxes';

/** `unknown`: the send was interrupted and Graph may have sent it; it is never sent again (see the mail log). */
export type AgentReplyOutcome = { outcome: 'sent' | 'skipped' | 'failed' | 'unknown'; detail: string };

export const AGENT_REPLY_SCOPE = 'agent-reply';
/** A claim held this long by a sender that never said how it went (it crashed mid-send) is an unknown outcome. */
const UNANSWERED_CLAIM_MS = 10 * 60_000;

/**
 * Sends the email an agent's Halo action carries to the customer, from the ticket's mailbox, with the ticket tag in
 * the subject. At most once per (ticket, action): the send is claimed before and its outcome recorded after. Graph
 * retries only a 429 (nothing sent); a send interrupted after it may have left (503/504, a lost connection, a
 * crash) cannot be looked up, so it is never sent again: it is recorded as unknown in the mail log for a person to
 * check the mailbox's Sent Items.
 * Halo requests: none when the webhook's full payload shows the action has no email; otherwise the action's single
 * GET (plus the list, when the event names no action) and getTicket; Graph: one sendMail.
 */
export async function sendAgentReplyForEvent(
  event: QueuedHaloEvent,
  deps: Pick<Container, 'config' | 'halo' | 'graph' | 'stores' | 'log' | 'now'>,
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
  const what = `the email of action ${action.id} on ticket ${ticketId}`;
  const claim = await deps.stores.dedupe.claim(AGENT_REPLY_SCOPE, key, {
    mailbox: mailbox.id,
    subject: mail.send.message.subject,
  });
  if (!claim.claimed) {
    const existing = claim.existing;
    if (existing.status === 'completed') {
      const earlier = existing.result as { outcome?: string } | null;
      const state =
        earlier?.outcome === 'unknown' ? 'was interrupted earlier and is not sent again' : 'was already sent';
      return { outcome: 'skipped', detail: `${what} ${state}` };
    }
    const heldMs = deps.now().getTime() - Date.parse(existing.claimedAt);
    if (heldMs < UNANSWERED_CLAIM_MS)
      return { outcome: 'skipped', detail: `${what} is being sent by another invocation` };
    // Its sender stopped without recording how the send went: it may have gone out.
    return recordUnknown(
      deps,
      { mailbox, key, ticketId, subject: mail.send.message.subject, what },
      'its sender stopped mid-send',
    );
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
    const failure = asErrorLike(error);
    const explained = explainMailError(failure, { operation: 'send', mailbox: mailbox.address });
    if (mayHaveBeenSent(failure)) {
      return recordUnknown(deps, { mailbox, key, ticketId, subject: message.subject, what }, explained.message);
    }
    // Refused (4xx, a 429 after retries): nothing was sent, so the claim goes back and a retry of the event may send.
    await deps.stores.dedupe.release(AGENT_REPLY_SCOPE, key);
    deps.log.warn('agent reply not sent', { ticketId, actionId: action.id, reason: explained.message });
    return { outcome: 'failed', detail: explained.message };
  }
  await deps.stores.dedupe.complete(AGENT_REPLY_SCOPE, key, {
    outcome: 'sent',
    mailbox: mailbox.id,
    recipients: mail.recipients,
  });
  return {
    outcome: 'sent',
    detail: `sent "${message.subject}" from ${mailbox.address} to ${mail.recipients} recipient(s)`,
  };
}

/** No answer (network, timeout) or a 5xx: Graph may have accepted the mail before the answer was lost. */
function mayHaveBeenSent(failure: { status?: number }): boolean {
  return failure.status === undefined || failure.status >= 500;
}

/** Records a send whose outcome is unknown: the claim completes as unknown, and the mail log says what to check. */
async function recordUnknown(
  deps: Pick<Container, 'stores' | 'log'>,
  send: { mailbox: { id: string; address: string }; key: string; ticketId: number; subject: string; what: string },
  reason: string,
): Promise<AgentReplyOutcome> {
  const detail = `${send.what} may or may not have been sent (${reason}); it is not sent again: check Sent Items of ${send.mailbox.address}`;
  await deps.stores.dedupe.complete(AGENT_REPLY_SCOPE, send.key, { outcome: 'unknown', reason });
  await deps.stores.mailLog.upsert({
    mailbox: send.mailbox.id,
    messageId: `agent-reply:${send.key}`,
    fate: `reply outcome unknown: ${detail}`,
    ticketId: send.ticketId,
    subject: send.subject,
  });
  deps.log.error('agent reply outcome unknown; not sent again', { ticketId: send.ticketId, reason });
  return { outcome: 'unknown', detail };
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
