import { z } from 'zod';
import type { MailboxConfig } from '../config/integration/mailboxes';
import { sanitizeMailHtml } from './html';
import { tagSubject } from './ticketTag';

/** The part of a Halo "action added" webhook event that an outgoing email needs. Loose: Halo sends far more. */
export const outgoingActionEventSchema = z.looseObject({
  ticketId: z.number().int().positive(),
  action: z.looseObject({
    note_html: z.string().nullish(),
    note: z.string().nullish(),
    emailto: z.string().nullish(),
    emailcc: z.string().nullish(),
    emailsubject: z.string().nullish(),
    emailfrom: z.string().nullish(),
    outcome: z.string().nullish(),
    hiddenfromuser: z.boolean().nullish(),
    sendemail: z.boolean().nullish(),
  }),
  ticket: z.looseObject({ summary: z.string().nullish() }),
});
export type OutgoingActionEvent = z.infer<typeof outgoingActionEventSchema>;

interface GraphRecipientOut {
  emailAddress: { address: string };
}

/** The body of Graph `POST /users/{mailbox}/sendMail`. */
export interface SendMailBody {
  message: {
    subject: string;
    body: { contentType: 'HTML'; content: string };
    toRecipients: GraphRecipientOut[];
    ccRecipients: GraphRecipientOut[];
  };
  saveToSentItems: true;
}

export type OutgoingMail = { send: SendMailBody; recipients: number } | { send: undefined; reason: string };

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/**
 * The email an agent's action sends from the mailbox, with the ticket tag in the subject so answers thread back.
 * No email (and the reason) for private notes, actions without recipients or text, and mail that came in (an
 * action we appended from an incoming email carries `emailfrom` and no `emailto`). Our own mailbox is never a
 * recipient, which would loop.
 */
export function outgoingMailFromAction(
  event: OutgoingActionEvent,
  mailbox: Pick<MailboxConfig, 'address' | 'tagPattern'>,
  ownMailboxAddresses: readonly string[] = [],
): OutgoingMail {
  const { action } = event;
  if (action.sendemail === false) return { send: undefined, reason: 'the action is not set to send an email' };
  if (action.hiddenfromuser === true) return { send: undefined, reason: 'the action is hidden from the user' };
  const own = new Set([mailbox.address, ...ownMailboxAddresses].map((a) => a.trim().toLowerCase()));
  const to = recipients(action.emailto, own);
  if (to.length === 0) {
    return {
      send: undefined,
      reason: action.emailfrom ? 'the action records an incoming email' : 'the action has no email recipients',
    };
  }
  const html = sanitizeMailHtml(action.note_html?.trim() || textAsHtml(action.note ?? ''));
  if (html.trim() === '') return { send: undefined, reason: 'the action has no text to send' };
  const cc = recipients(action.emailcc, new Set([...own, ...to]));
  const subject = tagSubject(
    action.emailsubject?.trim() || event.ticket.summary || '',
    event.ticketId,
    mailbox.tagPattern,
  );
  return {
    send: {
      message: {
        subject,
        body: { contentType: 'HTML', content: html },
        toRecipients: to.map(asRecipient),
        ccRecipients: cc.map(asRecipient),
      },
      saveToSentItems: true,
    },
    recipients: to.length + cc.length,
  };
}

/** Addresses from Halo's `;`/`,`-separated list (also `Name <address>` items), deduplicated, minus `exclude`. */
function recipients(list: string | null | undefined, exclude: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const item of (list ?? '').split(/[;,]/)) {
    const angle = /<([^>]+)>/.exec(item);
    const address = (angle ? angle[1]! : item).trim().toLowerCase();
    if (ADDRESS.test(address) && !exclude.has(address) && !found.includes(address)) found.push(address);
  }
  return found;
}

function asRecipient(address: string): GraphRecipientOut {
  return { emailAddress: { address } };
}

function textAsHtml(text: string): string {
  return text
    .trim()
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/\r?\n/g, '<br>');
}
