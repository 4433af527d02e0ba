import type { IgnoreRule } from './classify';
import { type ErrorLike, explainMailError, type MailErrorContext } from './errors';
import type { MailMove, MailPlan } from './plan';

export type MailOutcome = 'created' | 'appended' | 'ignored' | 'failed';

/** One row of the incoming-mail log: what happened to a message, in words a person searching for it understands. */
export interface MailLogEntry {
  messageId: string;
  internetMessageId?: string;
  outcome: MailOutcome;
  /** e.g. "ticket 1234 created", "appended to 1234", "ignored by rule autoReply: …", "failed: …". */
  fate: string;
  move: MailMove;
  ticketId?: number;
  rule?: IgnoreRule;
  notes?: string[];
  mailboxId?: string;
  from?: string;
  subject?: string;
  receivedDateTime?: string;
}

export interface MailLogContext {
  mailboxId?: string;
  from?: string;
  subject?: string;
  receivedDateTime?: string;
  errorContext?: MailErrorContext;
}

/**
 * The log record for a message's fate. Pass the plan once it was carried out (with the ticket id Halo returned
 * for a created ticket), or the error that stopped it.
 */
export function mailLogEntry(
  messageId: string,
  internetMessageId: string | null | undefined,
  result: MailPlan | { error: ErrorLike },
  ticketId?: number,
  context: MailLogContext = {},
): MailLogEntry {
  const base = {
    messageId,
    ...(internetMessageId ? { internetMessageId } : {}),
    ...(context.mailboxId ? { mailboxId: context.mailboxId } : {}),
    ...(context.from ? { from: context.from } : {}),
    ...(context.subject !== undefined ? { subject: context.subject } : {}),
    ...(context.receivedDateTime ? { receivedDateTime: context.receivedDateTime } : {}),
  };
  if ('error' in result) {
    const explained = explainMailError(result.error, context.errorContext);
    return {
      ...base,
      outcome: 'failed',
      fate: `failed: ${explained.message}`,
      move: 'failed',
      ...(ticketId !== undefined ? { ticketId } : {}),
    };
  }
  switch (result.kind) {
    case 'ignore':
      return {
        ...base,
        outcome: 'ignored',
        fate: `ignored by rule ${result.rule}: ${result.detail}`,
        move: result.move,
        rule: result.rule,
      };
    case 'appendAction':
      return withNotes(
        {
          ...base,
          outcome: 'appended',
          fate: `appended to ${result.ticketId}`,
          move: result.move,
          ticketId: result.ticketId,
        },
        result.notes,
      );
    case 'createTicket':
      return withNotes(
        {
          ...base,
          outcome: 'created',
          fate: ticketId !== undefined ? `ticket ${ticketId} created` : 'ticket created',
          move: result.move,
          ...(ticketId !== undefined ? { ticketId } : {}),
        },
        result.notes,
      );
  }
}

function withNotes(entry: MailLogEntry, notes: string[]): MailLogEntry {
  return notes.length > 0 ? { ...entry, fate: `${entry.fate} (${notes.join('; ')})`, notes } : entry;
}
