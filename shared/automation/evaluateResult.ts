import type { ScriptConfig } from '../config/integration/scripts';
import type { JobResult, ResultStatus } from '../jobs/result';
import { redact } from '../runtime/redact';
import { type ScriptQueueCompletion, scriptQueueCompletion } from './haloScriptQueue';
import type { RunSource } from './types';

export type ScriptRunResult = Pick<JobResult, 'status' | 'stdout' | 'stderr' | 'exitCode'> & {
  readonly reason?: string;
};

export interface EvaluationOptions {
  /** The job's source: a haloScriptQueue run also yields the completion body for Halo's queue. */
  readonly source?: RunSource;
  /** Secret values (e.g. of the script's secretParameters) to mask in notes and messages. */
  readonly secrets?: readonly string[];
  /** False: report the outcome only, leave status and failure action to Halo (haloScriptQueue.applyTicketChanges). */
  readonly applyTicketChanges?: boolean;
}

export interface Evaluation {
  readonly outcome: 'success' | 'failure';
  /** The job record's final status (see nextJobStatus). */
  readonly jobStatus: ResultStatus;
  readonly ticketUpdate?: { readonly statusId: number };
  readonly action?: { readonly private: true; readonly note: string; readonly outcomeId?: number };
  readonly scriptQueueCompletion?: ScriptQueueCompletion[];
  /** One line for logs, without output. */
  readonly summary: string;
}

export const NOTE_MAX = 4000;
export const OUTPUT_TAIL_MAX = 1500;

/**
 * Decides what a finished run means for the ticket. A run that completed (worker status succeeded or failed)
 * is judged by Halo's rule: the trimmed, newline-normalised output equals the success text, or contains it with
 * partialMatch (case-sensitive); with no success text, exit code 0 is success. Timeouts, rejections and
 * interruptions are failures. A failure moves the ticket to the failure status and adds a private note: the
 * failure message, why, and the tail of the output, redacted and bounded.
 */
export function evaluateResult(
  result: ScriptRunResult,
  script: ScriptConfig,
  options: EvaluationOptions = {},
): Evaluation {
  const secrets = options.secrets ?? [];
  const completed = result.status === 'succeeded' || result.status === 'failed';
  const success = completed && outputMeansSuccess(result, script);
  const jobStatus: ResultStatus = completed ? (success ? 'succeeded' : 'failed') : result.status;
  const why = success ? 'the output matched' : failureReason(result, script);
  const applyChanges = options.applyTicketChanges ?? true;
  const statusId = success ? script.successStatusId : script.failureStatusId;

  const evaluation: {
    -readonly [K in keyof Evaluation]: Evaluation[K];
  } = {
    outcome: success ? 'success' : 'failure',
    jobStatus,
    summary: redact(`script "${script.name}" ${success ? 'succeeded' : 'failed'}: ${why}`, secrets),
  };
  if (applyChanges && statusId !== undefined) evaluation.ticketUpdate = { statusId };
  if (applyChanges && !success) {
    const note = failureNote(result, script, why, secrets);
    evaluation.action =
      script.failureOutcomeId === undefined
        ? { private: true, note }
        : { private: true, note, outcomeId: script.failureOutcomeId };
  }
  if (options.source?.kind === 'haloScriptQueue') {
    const output = normalise(result.stdout);
    const message = success ? output || 'Success' : `${why}${output ? `\n${output}` : ''}`;
    evaluation.scriptQueueCompletion = scriptQueueCompletion({
      recordId: Number(options.source.ref),
      success,
      message,
      secrets,
    });
  }
  return evaluation;
}

/** Halo's success rule over the output. */
export function outputMeansSuccess(
  result: Pick<ScriptRunResult, 'stdout' | 'exitCode'>,
  script: ScriptConfig,
): boolean {
  const wanted = normalise(script.success.text);
  if (wanted === '') return result.exitCode === 0;
  const output = normalise(result.stdout);
  return script.success.partialMatch ? output.includes(wanted) : output === wanted;
}

function failureReason(result: ScriptRunResult, script: ScriptConfig): string {
  const detail = result.reason ? `: ${result.reason}` : '';
  switch (result.status) {
    case 'timedOut':
      return `the script was stopped after its ${script.timeoutSeconds} s timeout`;
    case 'rejected':
      return `the worker refused the job${detail || ': no reason given'}`;
    case 'interrupted':
      return `the run was interrupted before it finished${detail}`;
    default: {
      const code = result.exitCode === null ? 'no exit code' : `exit code ${result.exitCode}`;
      if (normalise(script.success.text) === '') return `the script ended with ${code}`;
      const verb = script.success.partialMatch ? 'contain' : 'equal';
      return `the output did not ${verb} the success text "${script.success.text.trim()}" (${code})`;
    }
  }
}

function failureNote(result: ScriptRunResult, script: ScriptConfig, why: string, secrets: readonly string[]): string {
  const parts = [script.failureMessage ?? `Script "${script.name}" failed.`, `Reason: ${why}.`];
  const stdout = tail(normalise(result.stdout));
  const stderr = tail(normalise(result.stderr));
  if (stdout) parts.push(`Output (end):\n${stdout}`);
  if (stderr) parts.push(`Errors (end):\n${stderr}`);
  const note = redact(parts.join('\n\n'), secrets);
  return note.length > NOTE_MAX ? `${note.slice(0, NOTE_MAX - 1)}…` : note;
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_MAX ? `…${text.slice(-OUTPUT_TAIL_MAX)}` : text;
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}
