import type { ActionDraft, FindExisting, HaloClient } from '../../halo';
import { textToNoteHtml } from './noteHtml';
import { DEFAULT_NOTE_OUTCOME } from './scopes';

/**
 * The marker a note of ours ends with (`[halo-bridge job 3f2a…]`): it names the job for the person reading the
 * ticket, and it is how a retry recognises a note that an interrupted attempt already added.
 */
export function noteRef(what: string, id: string): string {
  return `halo-bridge ${what} ${id}`;
}

/**
 * A private action (hidden from the end user, no email) carrying `text`, optionally moving the ticket's status. With
 * a `ref`, the note ends with `[ref]`, so that it can be found again (see notesOnTickets).
 */
export function privateNote(
  ticketId: number,
  text: string,
  options: { outcomeId?: number; newStatusId?: number; ref?: string } = {},
): ActionDraft {
  return {
    ticket_id: ticketId,
    ...(options.outcomeId !== undefined ? { outcome_id: options.outcomeId } : { outcome: DEFAULT_NOTE_OUTCOME }),
    note_html: textToNoteHtml(options.ref ? `${text}\n\n[${options.ref}]` : text),
    hiddenfromuser: true,
    sendemail: false,
    ...(options.newStatusId !== undefined ? { new_status: options.newStatusId } : {}),
  };
}

const MARKER = /\[(halo-bridge [^\]]+)\]$/;

function markerOf(note: ActionDraft): string | undefined {
  return MARKER.exec(note.note_html ?? '')?.[1];
}

/**
 * Finds notes of ours already on their tickets by their marker: one `GET /Actions?ticket_id=&includehtmlnote=true`
 * per ticket (list rows carry the plain `note`, and the HTML note with the flag). A note without a marker is never
 * found (it is then only sent when nothing may have been sent before).
 */
export function notesOnTickets(halo: HaloClient): FindExisting<ActionDraft> {
  return async (notes) => {
    const byTicket = new Map<number, Awaited<ReturnType<HaloClient['listActions']>>>();
    for (const ticketId of new Set(notes.map((n) => n.ticket_id))) {
      byTicket.set(ticketId, await halo.listActions(ticketId, { includeHtmlNote: true }));
    }
    return notes.map((note) => {
      const marker = markerOf(note);
      if (!marker) return undefined;
      return byTicket
        .get(note.ticket_id)
        ?.find((a) => (a.note ?? '').includes(marker) || (a.note_html ?? '').includes(marker));
    });
  };
}

/**
 * Adds notes exactly once: `lookFirst` when an earlier attempt may already have added them (a claim taken over,
 * a retry after a lost answer); createOnce looks again before re-sending whatever this attempt loses.
 */
export async function addNotesOnce(
  halo: HaloClient,
  notes: readonly ActionDraft[],
  options: { lookFirst: boolean },
): Promise<void> {
  if (notes.length === 0) return;
  const find = notesOnTickets(halo);
  let missing = notes;
  if (options.lookFirst) {
    const found = await find(notes);
    missing = notes.filter((_, i) => found[i] === undefined);
  }
  if (missing.length > 0) await halo.addActionsOnce(missing, find);
}
