import type { MailboxConfig } from '../config/integration/mailboxes';
import type { Classification, IgnoreRule } from './classify';
import { addressOf, displaySender, type GraphMessage } from './graphMessage';
import { type HaloActionDraft, type HaloTicketDraft, haloInt } from './haloDrafts';
import { senderBannerHtml, summaryOf, toTicketDetails } from './ticketDetails';
import { stripTicketTags } from './ticketTag';

/** The built-in note outcome on a stock Halo (used by CIPP for notes), when the mailbox names no reply outcome. */
export const DEFAULT_REPLY_OUTCOME_ID = 7;

export type MailMove = 'processed' | 'failed';

export type MailPlan =
  | { kind: 'ignore'; rule: IgnoreRule; detail: string; move: 'processed' }
  | { kind: 'appendAction'; ticketId: number; action: HaloActionDraft; move: 'processed'; notes: string[] }
  | { kind: 'createTicket'; draft: HaloTicketDraft; move: 'processed'; notes: string[] };

export interface HaloSenderUser {
  id: number;
  client_id: number;
  site_id: number;
}

export interface PlanInput {
  message: GraphMessage;
  mailbox: Pick<MailboxConfig, 'address' | 'ticket' | 'tagPattern'>;
  classification: Classification;
  /** The ticket named by the subject tag, and whether Halo still has it. */
  taggedTicket?: { id: number; exists: boolean };
  /** The Halo user whose address sent the mail, when there is one. */
  senderUser?: HaloSenderUser;
  /** Where mail from unknown senders goes; `siteId` is needed with `userId`. */
  fallback: { clientId: number; userId?: number; siteId?: number };
  /** Our own mailbox addresses, kept out of the copied CC list. */
  ownMailboxAddresses?: readonly string[];
}

/**
 * What to do with one new message. Ignored mail still moves to the processed folder (it was handled); the scanner
 * moves a message to the failed folder only when carrying out the plan fails.
 */
export function planMessage(input: PlanInput): MailPlan {
  const { classification, taggedTicket } = input;
  if (classification.action === 'ignore') {
    return { kind: 'ignore', rule: classification.rule, detail: classification.detail, move: 'processed' };
  }
  if (taggedTicket?.exists) return appendPlan(input, taggedTicket.id);
  const notes = taggedTicket
    ? [`the subject tag names ticket ${taggedTicket.id}, which no longer exists in Halo, so a new ticket is created`]
    : [];
  return createPlan(input, notes);
}

function appendPlan(input: PlanInput, ticketId: number): MailPlan {
  const { message, mailbox, senderUser } = input;
  const details = toTicketDetails(message);
  const notes: string[] = [];
  const action: HaloActionDraft = {
    ticket_id: haloInt(ticketId, 'ticket_id'),
    outcome_id: haloInt(mailbox.ticket.replyOutcomeId ?? DEFAULT_REPLY_OUTCOME_ID, 'outcome_id'),
    note_html: senderUser ? details.detailsHtml : senderBannerHtml(displaySender(message)) + details.detailsHtml,
    hiddenfromuser: false,
    emailfrom: addressOf(message.from) ?? addressOf(message.sender) ?? '',
    emailsubject: summaryOf(message.subject),
  };
  const cc = ccList(input);
  if (cc) action.emailcc = cc;
  if (message.internetMessageId) action.email_message_id = message.internetMessageId;
  if (senderUser) action.actionby_user_id = haloInt(senderUser.id, 'actionby_user_id');
  else notes.push(`sender ${action.emailfrom} is not a Halo user; appended as an email from them`);
  if (mailbox.ticket.replyStatusId !== undefined)
    action.new_status = haloInt(mailbox.ticket.replyStatusId, 'new_status');
  return { kind: 'appendAction', ticketId: action.ticket_id, action, move: 'processed', notes };
}

function createPlan(input: PlanInput, notes: string[]): MailPlan {
  const { message, mailbox, senderUser, fallback } = input;
  const details = toTicketDetails(message);
  const reportedby = displaySender(message);
  const draft: HaloTicketDraft = {
    summary: summaryOf(stripTicketTags(message.subject, mailbox.tagPattern)),
    details_html: details.detailsHtml,
    tickettype_id: haloInt(mailbox.ticket.ticketTypeId, 'tickettype_id'),
    client_id: 0,
    reportedby,
  };
  if (senderUser) {
    draft.client_id = haloInt(senderUser.client_id, 'client_id');
    draft.site_id = haloInt(senderUser.site_id, 'site_id');
    draft.user_id = haloInt(senderUser.id, 'user_id');
  } else {
    draft.client_id = haloInt(fallback.clientId, 'client_id');
    draft.details_html = senderBannerHtml(reportedby) + details.detailsHtml;
    if (fallback.userId !== undefined && fallback.siteId !== undefined) {
      draft.user_id = haloInt(fallback.userId, 'user_id');
      draft.site_id = haloInt(fallback.siteId, 'site_id');
      notes.push(`sender is not a Halo user; ticket logged for fallback user ${fallback.userId}`);
    } else {
      // No user: Halo logs the ticket against the client's General User. CIPP's `userlookup: {id: -1}` does the
      // same, but it is not in Halo's published Faults schema (which forbids unknown properties), so we omit it.
      if (fallback.siteId !== undefined) draft.site_id = haloInt(fallback.siteId, 'site_id');
      notes.push(
        fallback.userId !== undefined
          ? `fallback user ${fallback.userId} has no site id, so the ticket goes to the General User of client ${fallback.clientId}`
          : `sender is not a Halo user; ticket logged for the General User of client ${fallback.clientId}`,
      );
    }
  }
  const ticket = mailbox.ticket;
  if (ticket.statusId !== undefined) draft.status_id = haloInt(ticket.statusId, 'status_id');
  if (ticket.priorityId !== undefined) draft.priority_id = haloInt(ticket.priorityId, 'priority_id');
  if (ticket.sourceId !== undefined) draft.source = haloInt(ticket.sourceId, 'source');
  const cc = ccList(input);
  if (cc) draft.emailcclist = cc;
  if (message.internetMessageId) draft.email_message_id = message.internetMessageId;
  if (message.receivedDateTime) draft.dateoccurred = message.receivedDateTime;
  return { kind: 'createTicket', draft, move: 'processed', notes };
}

/** The CC addresses minus our own mailboxes and the sender, `;`-separated as Halo's email lists are. */
function ccList(input: PlanInput): string | undefined {
  const exclude = new Set(
    [input.mailbox.address, ...(input.ownMailboxAddresses ?? []), addressOf(input.message.from)]
      .filter((a): a is string => a !== undefined)
      .map((a) => a.toLowerCase()),
  );
  const addresses = [...new Set((input.message.ccRecipients ?? []).map(addressOf))].filter(
    (a): a is string => a !== undefined && !exclude.has(a),
  );
  return addresses.length > 0 ? addresses.join(';') : undefined;
}
