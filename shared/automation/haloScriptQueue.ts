import { z } from 'zod';
import type { HaloScriptQueueConfig, ScriptConfig } from '../config/integration/scripts';
import { formatIssues } from '../config/zodIssues';
import { redact } from '../runtime/redact';
import type { Parameters, ScriptRunRequest } from './types';

/*
 * Halo's own PowerShell run queue, as the Halo Integrator is inferred to use it (halo-api.md §5).
 *
 * Follows Halo's published schema (OpenAPI `PowerShellScriptProcessing`, `PowerShellScript`):
 *   record fields  id, pssid, faultid, processed, success, result_message, execution_parameters (object),
 *                  script_name, failactionadded, requeued;
 *   script fields  id, name, location, method (integer), resultstring, resultpartialmatch, resultstatus,
 *                  resultfailedstatus, fieldmappings_powershell.
 * Inferred, UNCONFIRMED (field names only; Halo's guide was not available):
 *   - the poll is GET /PowerShellScriptProcessing?outstandingonly=true&includeparameters=true;
 *   - completion is POST /PowerShellScriptProcessing [{id, processed:true, success, result_message}];
 *   - `execution_parameters` is a map parameter name → value (an array of {name|parametername, value} is accepted);
 *   - `method` numbers: mapped by config `haloScriptQueue.methodMap` (default 0 named parameters, 1 script
 *     variables, 2 base64 JSON); an unmapped number refuses the record rather than guessing;
 *   - `location` is a path on the Integrator's machine: relative locations are kept, absolute ones lose a
 *     configured `locationPrefixes` entry or else everything but the file name;
 *   - success: output equals `resultstring`, or contains it when `resultpartialmatch`; then the ticket goes to
 *     `resultstatus`, else to `resultfailedstatus` with a failure action (0 or null = no status change);
 *   - whether Halo applies those statuses itself on completion: unknown, hence `applyTicketChanges` in config.
 */

const id = z.number().int().nonnegative();
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const parameterList = z.array(
  z.looseObject({ name: z.string().optional(), parametername: z.string().optional(), value: scalar.nullish() }),
);

export const scriptQueueRecordSchema = z.looseObject({
  id: z.number().int().positive(),
  pssid: z.number().int().positive(),
  faultid: id.nullish(),
  processed: z.boolean().nullish(),
  execution_parameters: z.union([z.record(z.string(), scalar.nullish()), parameterList]).nullish(),
});
export type ScriptQueueRecord = z.infer<typeof scriptQueueRecordSchema>;

export const haloPowerShellScriptSchema = z.looseObject({
  id: z.number().int().positive(),
  name: z.string().nullish(),
  location: z.string().nullish(),
  method: id.nullish(),
  resultstring: z.string().nullish(),
  resultpartialmatch: z.boolean().nullish(),
  resultstatus: id.nullish(),
  resultfailedstatus: id.nullish(),
});
export type HaloPowerShellScript = z.infer<typeof haloPowerShellScriptSchema>;

export type QueueRecordResult = { ok: true; request: ScriptRunRequest } | { ok: false; reason: string };

/** Turns one outstanding queue record into a run request, using Halo's definition of the script it names. */
export function scriptQueueRecordToRunRequest(
  recordInput: unknown,
  scriptsInput: readonly unknown[],
  config: HaloScriptQueueConfig,
): QueueRecordResult {
  const parsedRecord = scriptQueueRecordSchema.safeParse(recordInput);
  if (!parsedRecord.success) {
    return { ok: false, reason: `queue record is invalid: ${formatIssues(parsedRecord.error, '$').join('; ')}` };
  }
  const record = parsedRecord.data;
  if (record.processed === true) return { ok: false, reason: `queue record ${record.id} is already processed` };
  const found = scriptsInput.find((s) => (s as { id?: unknown } | null)?.id === record.pssid);
  if (found === undefined)
    return { ok: false, reason: `queue record ${record.id}: no PowerShellScript ${record.pssid}` };
  const parsedScript = haloPowerShellScriptSchema.safeParse(found);
  if (!parsedScript.success) {
    const where = formatIssues(parsedScript.error, `PowerShellScript ${record.pssid}`).join('; ');
    return { ok: false, reason: `queue record ${record.id}: ${where}` };
  }
  const script = parsedScript.data;
  const path = scriptPath(script.location, config.locationPrefixes);
  if (path === undefined) return { ok: false, reason: `PowerShellScript ${script.id} has no usable location` };
  const passing = script.method == null ? 'namedParameters' : config.methodMap[String(script.method)];
  if (passing === undefined) {
    return { ok: false, reason: `PowerShellScript ${script.id} uses method ${script.method}, absent from methodMap` };
  }
  const parameters = executionParameters(record.execution_parameters);
  if ('problem' in parameters) return { ok: false, reason: `queue record ${record.id}: ${parameters.problem}` };

  const scriptConfig: ScriptConfig = {
    name: `halo:${script.id}${script.name ? ` ${script.name}` : ''}`,
    path,
    workerGroup: config.workerGroup,
    passing,
    parameters: [],
    secretParameters: config.secretParameters,
    success: { text: script.resultstring ?? '', partialMatch: script.resultpartialmatch ?? false },
    successStatusId: positive(script.resultstatus),
    failureStatusId: positive(script.resultfailedstatus),
    timeoutSeconds: config.timeoutSeconds,
    idempotent: false,
  };
  return {
    ok: true,
    request: {
      script: scriptConfig,
      ticketId: positive(record.faultid),
      source: { kind: 'haloScriptQueue', ref: String(record.id) },
      dedupeKey: `haloScriptQueue:${record.id}`,
      parameters: parameters.values,
    },
  };
}

export interface ScriptQueueCompletion {
  readonly id: number;
  readonly processed: true;
  readonly success: boolean;
  readonly result_message: string;
}

export const RESULT_MESSAGE_MAX = 2000;

/** The body to POST to /PowerShellScriptProcessing when a queued run has finished (redacted, bounded). */
export function scriptQueueCompletion(result: {
  recordId: number;
  success: boolean;
  message: string;
  secrets?: readonly string[];
}): ScriptQueueCompletion[] {
  const message = redact(result.message, result.secrets ?? []);
  return [
    {
      id: result.recordId,
      processed: true,
      success: result.success,
      result_message: message.length > RESULT_MESSAGE_MAX ? `…${message.slice(-(RESULT_MESSAGE_MAX - 1))}` : message,
    },
  ];
}

function scriptPath(location: string | null | undefined, prefixes: readonly string[]): string | undefined {
  const trimmed = location?.trim();
  if (!trimmed) return undefined;
  const slashed = trimmed.replace(/\\/g, '/');
  const absolute = /^([A-Za-z]:\/|\/)/.test(slashed);
  if (!absolute) return slashed.replace(/^\.\//, '');
  for (const prefix of prefixes) {
    const p = prefix.replace(/\\/g, '/').replace(/\/?$/, '/');
    if (slashed.toLowerCase().startsWith(p.toLowerCase())) return slashed.slice(p.length) || undefined;
  }
  return slashed.split('/').pop() || undefined;
}

function executionParameters(
  input: ScriptQueueRecord['execution_parameters'],
): { values: Parameters } | { problem: string } {
  const values: Parameters = {};
  if (input == null) return { values };
  const entries: [string | undefined, unknown][] = Array.isArray(input)
    ? input.map((p) => [p.name ?? p.parametername, p.value])
    : Object.entries(input);
  for (const [index, [name, value]] of entries.entries()) {
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) {
      return { problem: `execution_parameters[${index}] has an unusable parameter name "${name ?? ''}"` };
    }
    if (value !== null && value !== undefined) values[name] = value as string | number | boolean;
  }
  return { values };
}

function positive(value: number | null | undefined): number | undefined {
  return value != null && value > 0 ? value : undefined;
}
