import type { ActionDraft } from '../../halo';
import { textToNoteHtml } from './noteHtml';
import { DEFAULT_NOTE_OUTCOME } from './scopes';

/** A private action (hidden from the end user, no email) carrying `text`, optionally moving the ticket's status. */
export function privateNote(
  ticketId: number,
  text: string,
  options: { outcomeId?: number; newStatusId?: number } = {},
): ActionDraft {
  return {
    ticket_id: ticketId,
    ...(options.outcomeId !== undefined ? { outcome_id: options.outcomeId } : { outcome: DEFAULT_NOTE_OUTCOME }),
    note_html: textToNoteHtml(text),
    hiddenfromuser: true,
    sendemail: false,
    ...(options.newStatusId !== undefined ? { new_status: options.newStatusId } : {}),
  };
}
