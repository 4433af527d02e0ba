import { z } from 'zod';
import { haloId, optionalFlag, optionalId, optionalText } from './common';

export const actionSchema = z.looseObject({
  id: haloId,
  ticket_id: haloId,
  outcome: optionalText,
  outcome_id: optionalId,
  note: optionalText,
  note_html: optionalText,
  who: optionalText,
  who_agentid: optionalId,
  datetime: optionalText,
  hiddenfromuser: optionalFlag,
  new_status: optionalId,
});

export type HaloAction = z.infer<typeof actionSchema>;

/** An action to add to a ticket. Halo refuses one without an outcome ("An Outcome must be entered for this Action"). */
export interface ActionDraft {
  ticket_id: number;
  outcome_id?: number;
  outcome?: string;
  note?: string;
  note_html?: string;
  hiddenfromuser?: boolean;
  new_status?: number;
  sendemail?: boolean;
  emailto?: string;
  emailsubject?: string;
  timetaken?: number;
  important?: boolean;
}
