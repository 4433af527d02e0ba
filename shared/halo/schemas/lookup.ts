import { z } from 'zod';
import { haloId, optionalFlag, optionalId, optionalText } from './common';

export const statusSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  shortname: optionalText,
  /** RELAY assumes 0/1/2 = open/pending/closed (UNCONFIRMED). */
  type: z.number().nullish(),
  sequence: z.number().nullish(),
  colour: optionalText,
});

export const outcomeSchema = z.looseObject({
  id: haloId,
  outcome: optionalText,
  buttonname: optionalText,
  systemid: z.number().nullish(),
  newstatus: optionalId,
  sendemail: optionalFlag,
  /** Set when the outcome's system use is "Queue PowerShell Script". */
  script_id: optionalId,
  script_name: optionalText,
});

export const ticketTypeSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  workflow_id: optionalId,
});

export type HaloStatus = z.infer<typeof statusSchema>;
export type HaloOutcome = z.infer<typeof outcomeSchema>;
export type HaloTicketType = z.infer<typeof ticketTypeSchema>;
