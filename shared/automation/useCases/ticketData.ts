import type { HaloClient } from '../../halo';
import type { TicketData } from '../parameters';

type HaloRecord = TicketData['ticket'];

/**
 * Reads a ticket, then (in parallel, one request each) the client, site and user that the mappings need: at most
 * two round trips whatever the number of mapped fields.
 */
export async function readTicketData(
  halo: HaloClient,
  ticketId: number,
  needs: { client: boolean; site: boolean; user: boolean },
): Promise<TicketData> {
  const ticket = (await halo.getTicket(ticketId)) as HaloRecord;
  const read = async (wanted: boolean, path: string, id: unknown): Promise<HaloRecord | undefined> => {
    if (!wanted || typeof id !== 'number' || id <= 0) return undefined;
    const body = await halo.get(`${path}/${id}`);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as HaloRecord) : undefined;
  };
  const [client, site, user] = await Promise.all([
    read(needs.client, '/Client', ticket.client_id),
    read(needs.site, '/Site', ticket.site_id),
    read(needs.user, '/Users', ticket.user_id),
  ]);
  return {
    ticket,
    ...(client ? { client } : {}),
    ...(site ? { site } : {}),
    ...(user ? { user } : {}),
  };
}
