import { z } from 'zod';
import { haloId, optionalFlag, optionalId, optionalText } from './common';

/** How a Halo field maps onto a script parameter (`/PowerShellScriptCriteria`). */
export const scriptFieldMappingSchema = z.looseObject({
  id: optionalId,
  pssid: optionalId,
  fiid: optionalId,
  finame: optionalText,
  filabel: optionalText,
  parametername: optionalText,
  fiusage: z.number().nullish(),
});

export const powerShellScriptSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  type: z.number().nullish(),
  location: optionalText,
  /** Parameter passing method (enum UNCONFIRMED). */
  method: z.number().nullish(),
  resultstring: optionalText,
  resultpartialmatch: optionalFlag,
  resultstatus: optionalId,
  resultfailedstatus: optionalId,
  usepowershellseven: optionalFlag,
  fieldmappings_powershell: z.array(scriptFieldMappingSchema).nullish(),
});

export const scriptRunSchema = z.looseObject({
  id: haloId,
  pssid: optionalId,
  faultid: optionalId,
  processed: optionalFlag,
  success: optionalFlag,
  result_message: optionalText,
  run_date: optionalText,
  script_name: optionalText,
  execution_parameters: z.record(z.string(), z.unknown()).nullish(),
  failactionadded: optionalFlag,
  rule_id: optionalId,
});

export type HaloPowerShellScript = z.infer<typeof powerShellScriptSchema>;
export type HaloScriptFieldMapping = z.infer<typeof scriptFieldMappingSchema>;
/** One queued run of `/PowerShellScriptProcessing`. */
export type HaloScriptRun = z.infer<typeof scriptRunSchema>;

export interface ScriptRunResult {
  id: number;
  success: boolean;
  result_message: string;
}
