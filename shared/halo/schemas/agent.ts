import { z } from 'zod';
import { haloId, optionalFlag, optionalId, optionalText } from './common';

export const agentSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  email: optionalText,
  isdisabled: optionalFlag,
  is_agent: optionalFlag,
  isapiagent: optionalFlag,
  team: optionalText,
  team_id: optionalId,
});

export const teamSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  guid: optionalText,
  inactive: optionalFlag,
  department_id: optionalId,
});

export type HaloAgent = z.infer<typeof agentSchema>;
export type HaloTeam = z.infer<typeof teamSchema>;
