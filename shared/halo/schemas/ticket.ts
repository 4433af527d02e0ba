import { z } from 'zod';
import { customFieldSchema, haloId, optionalFlag, optionalId, optionalText } from './common';

export const ticketSchema = z.looseObject({
  id: haloId,
  summary: optionalText,
  details: optionalText,
  details_html: optionalText,
  status_id: optionalId,
  tickettype_id: optionalId,
  priority_id: optionalId,
  client_id: optionalId,
  client_name: optionalText,
  site_id: optionalId,
  site_name: optionalText,
  user_id: optionalId,
  user_name: optionalText,
  user_email: optionalText,
  agent_id: optionalId,
  team: optionalText,
  team_id: optionalId,
  hasbeenclosed: optionalFlag,
  dateoccurred: optionalText,
  lastactiondate: optionalText,
  customfields: z.array(customFieldSchema).nullish(),
});

export type HaloTicket = z.infer<typeof ticketSchema>;

/**
 * A new ticket, as POSTed (field names as in Halo's `Faults` schema, which rejects unknown properties).
 * Halo requires `site_id` whenever a user is set.
 */
export interface TicketDraft {
  summary: string;
  details?: string;
  details_html?: string;
  tickettype_id: number;
  client_id: number;
  site_id?: number;
  user_id?: number;
  user_name?: string;
  status_id?: number;
  priority_id?: number;
  agent_id?: number;
  team?: string;
  category_1?: string;
  source?: number;
  emailtolist?: string;
  customfields?: { id: number; value: unknown }[];
  /** Halo applies the ticket type's template unless told not to. */
  donotapplytemplateintheapi?: boolean;
  _novalidate?: boolean;
  _dont_fire_automations?: boolean;
}

/** A partial ticket update: only the fields sent change. */
export interface TicketPatch {
  id: number;
  status_id?: number;
  summary?: string;
  details_html?: string;
  agent_id?: number;
  team?: string;
  priority_id?: number;
  customfields?: { id: number; value: unknown }[];
}
