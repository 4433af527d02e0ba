import type { ActionDraft, FindExisting, TicketDraft } from '../../halo';
import type { GraphMessage } from '../graphMessage';
import type { ScanContext } from './scanContext';

/**
 * The look-ups that make a mail's Halo write exactly-once: after a lost answer, or when a later scan takes over a
 * claim whose scan stopped part-way, the ticket or action is searched for before anything is sent again.
 */

/**
 * The ticket a mail became: a ticket of the same client carrying the mail's Message-ID (`email_message_id` is on
 * Halo's ticket list rows, `Faults_List`), or, for mail without one, the same summary and occurred time.
 * One `GET /Tickets?client_id=&search=<summary>` request.
 */
export function ticketOfMessage(ctx: ScanContext, message: GraphMessage): FindExisting<TicketDraft> {
  return async (drafts) => {
    const [draft] = drafts as readonly (TicketDraft & { dateoccurred?: string })[];
    if (!draft) return [];
    const candidates = await ctx.deps.halo.listTickets(
      { search: draft.summary, client_id: draft.client_id },
      { maxRows: 100 },
    );
    const match = candidates.find((ticket) => {
      const record = ticket as Record<string, unknown>;
      if (message.internetMessageId) return record.email_message_id === message.internetMessageId;
      return (
        ticket.summary === draft.summary &&
        draft.dateoccurred !== undefined &&
        ticket.dateoccurred === draft.dateoccurred
      );
    });
    if (match) ctx.deps.log.info('mail scan found the ticket an interrupted write created', { ticketId: match.id });
    return [match];
  };
}

/**
 * The action a reply became on its ticket: the one carrying the mail's Message-ID (`email_message_id`, which we
 * set on the action; that action list rows carry it is assumed, see the README). One `GET /Actions?ticket_id=`.
 * Mail without a Message-ID cannot be recognised, so its in-doubt append is never repeated (the look-up fails).
 */
export function actionOfMessage(ctx: ScanContext, message: GraphMessage): FindExisting<ActionDraft> {
  return async (drafts) => {
    const [draft] = drafts;
    if (!draft) return [];
    const id = message.internetMessageId;
    if (!id) throw new Error('the mail has no Message-ID, so Halo cannot be searched for the action it became');
    const actions = await ctx.deps.halo.listActions(draft.ticket_id);
    const match = actions.find((a) => (a as Record<string, unknown>).email_message_id === id);
    if (match) ctx.deps.log.info('mail scan found the action an interrupted write added', { actionId: match.id });
    return [match];
  };
}

/** The files already on the ticket (or its action), by name and size: one `GET /Attachment?ticket_id=` request. */
export function attachmentsOnTicket(
  ctx: ScanContext,
  sizes: ReadonlyMap<string, number>,
): FindExisting<{ ticket_id: number; action_id?: number; filename: string }> {
  return async (files) => {
    const [first] = files;
    if (!first) return [];
    const existing = await ctx.deps.halo.listAttachments({ ticket_id: first.ticket_id, action_id: first.action_id });
    return files.map((file) =>
      existing.find(
        (a) => a.filename === file.filename && (a.filesize ?? sizes.get(file.filename)) === sizes.get(file.filename),
      ),
    );
  };
}
