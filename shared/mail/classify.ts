import type { MailboxConfig } from '../config/integration/mailboxes';
import { addressOf, type GraphMessage, senderAddress } from './graphMessage';
import { headerValue } from './headers';
import { senderMatcher, subjectMatcher } from './patterns';

export type IgnoreRule = 'autoReply' | 'bounce' | 'nullSender' | 'loop' | 'senderRule' | 'subjectRule';

export type Classification = { action: 'process' } | { action: 'ignore'; rule: IgnoreRule; detail: string };

export interface ClassifyContext {
  /** Every mailbox this app reads or sends from (mail from them is our own, so a loop). */
  ownMailboxAddresses: readonly string[];
}

type MailboxRules = Pick<MailboxConfig, 'address' | 'ignore'>;

const AUTO_PRECEDENCE = new Set(['bulk', 'auto_reply', 'junk']);
const DAEMON_LOCAL_PARTS = new Set(['postmaster', 'mailer-daemon']);

/** Whether a new message becomes a ticket, or which rule ignores it and why (in words for the mail log). */
export function classifyMessage(
  message: GraphMessage,
  mailbox: MailboxRules,
  context: ClassifyContext,
): Classification {
  return (
    nullSender(message) ??
    bounce(message) ??
    autoReply(message) ??
    loop(message, mailbox, context) ??
    senderRule(message, mailbox) ??
    subjectRule(message, mailbox) ?? { action: 'process' }
  );
}

function ignore(rule: IgnoreRule, detail: string): Classification {
  return { action: 'ignore', rule, detail };
}

function nullSender(message: GraphMessage): Classification | undefined {
  if (!senderAddress(message)) return ignore('nullSender', 'the message has no sender address');
  const returnPath = headerValue(message, 'Return-Path');
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath)) return ignore('nullSender', 'Return-Path: <>');
  return undefined;
}

function bounce(message: GraphMessage): Classification | undefined {
  const contentType = headerValue(message, 'Content-Type');
  if (
    contentType &&
    /^multipart\/report\b/i.test(contentType) &&
    /report-type\s*=\s*"?delivery-status/i.test(contentType)
  )
    return ignore('bounce', `Content-Type: ${contentType}`);
  for (const address of [addressOf(message.from), addressOf(message.sender)]) {
    const local = address?.split('@')[0];
    if (local && DAEMON_LOCAL_PARTS.has(local)) return ignore('bounce', `sender ${address}`);
  }
  return undefined;
}

function autoReply(message: GraphMessage): Classification | undefined {
  const autoSubmitted = headerValue(message, 'Auto-Submitted');
  if (autoSubmitted !== undefined && autoSubmitted.toLowerCase() !== 'no')
    return ignore('autoReply', `Auto-Submitted: ${autoSubmitted}`);
  for (const name of ['X-Auto-Response-Suppress', 'X-Autoreply', 'X-Autorespond']) {
    const value = headerValue(message, name);
    if (value !== undefined) return ignore('autoReply', `${name}: ${value}`);
  }
  const precedence = headerValue(message, 'Precedence');
  if (precedence !== undefined && AUTO_PRECEDENCE.has(precedence.toLowerCase()))
    return ignore('autoReply', `Precedence: ${precedence}`);
  const contentType = headerValue(message, 'Content-Type');
  if (contentType && /report-type\s*=\s*"?disposition-notification/i.test(contentType))
    return ignore('autoReply', `Content-Type: ${contentType} (read receipt)`);
  return undefined;
}

function loop(message: GraphMessage, mailbox: MailboxRules, context: ClassifyContext): Classification | undefined {
  const own = new Set([mailbox.address, ...context.ownMailboxAddresses].map((a) => a.trim().toLowerCase()));
  for (const address of [addressOf(message.from), addressOf(message.sender)]) {
    if (address && own.has(address)) return ignore('loop', `sent by our own mailbox ${address}`);
  }
  return undefined;
}

function senderRule(message: GraphMessage, mailbox: MailboxRules): Classification | undefined {
  const address = senderAddress(message)!;
  const pattern = mailbox.ignore.senders.find((p) => senderMatcher(p)(address));
  return pattern === undefined ? undefined : ignore('senderRule', `sender ${address} matches "${pattern}"`);
}

function subjectRule(message: GraphMessage, mailbox: MailboxRules): Classification | undefined {
  const subject = message.subject ?? '';
  const pattern = mailbox.ignore.subjects.find((p) => subjectMatcher(p)(subject));
  return pattern === undefined ? undefined : ignore('subjectRule', `subject matches "${pattern}"`);
}
