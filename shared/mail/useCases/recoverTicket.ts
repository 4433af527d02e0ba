import type { GraphMessage } from '../graphMessage';
import type { HaloTicketDraft } from '../haloDrafts';
import type { ScanContext } from './scanContext';

/**
 * After a scan crashed between asking Halo for a ticket and recording its id, whether Halo made it: a ticket of the
 * same client and summary carrying the mail's Message-ID (or, for mail without one, the same occurred time).
 * One `GET /Tickets?search=` request; only runs for claims taken over from a crashed scan.
 */
export async function findTicketCreatedFor(
  ctx: ScanContext,
  message: GraphMessage,
  draft: HaloTicketDraft,
): Promise<number | undefined> {
  const candidates = await ctx.deps.halo.listTickets(
    { search: draft.summary, client_id: draft.client_id },
    { maxRows: 100 },
  );
  const match = candidates.find((ticket) => {
    const record = ticket as Record<string, unknown>;
    if (message.internetMessageId) return record.email_message_id === message.internetMessageId;
    return (
      ticket.summary === draft.summary && draft.dateoccurred !== undefined && ticket.dateoccurred === draft.dateoccurred
    );
  });
  if (match) ctx.deps.log.info('mail scan found the ticket a crashed scan created', { ticketId: match.id });
  return match?.id;
}
