import type { ScriptConfig } from '../config/integration/scripts';
import type { JobSource } from '../jobs/envelope';

export type ParameterValue = string | number | boolean;
export type Parameters = Record<string, ParameterValue>;

/**
 * What made a script run (the jobs envelope's `source`): kind haloAction (ref `<ticket>:<action>`), haloApproval
 * (`<ticket>:<process>:<step>`), haloScriptQueue (the PowerShellScriptProcessing id) or schedule (`<name>@<time>`).
 */
export type RunSource = JobSource;

/**
 * A decision that a script should run. `parameters` holds values already known (Halo's queue record, a schedule);
 * mapped parameters (script.parameters) are resolved later from ticket data with resolveParameters.
 */
export interface ScriptRunRequest {
  readonly script: ScriptConfig;
  readonly ticketId?: number;
  readonly source: RunSource;
  /** Same trigger → same key, so a redelivered webhook or re-polled queue record produces the same job. */
  readonly dedupeKey: string;
  readonly parameters?: Parameters;
}
