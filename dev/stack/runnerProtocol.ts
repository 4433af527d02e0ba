import type { LogEntry } from '../../shared/runtime/logger';
import type { DrainOptions, FunctionStats, InvocationRecord } from '../runner';
import type { AppRunnerInput } from './appRunner';

/** What the stack's process sends the runner child over the IPC channel. */
export type ToRunnerChild =
  | { readonly type: 'start'; readonly input: AppRunnerInput }
  | { readonly type: 'call'; readonly id: number; readonly method: 'runTimer'; readonly args: [string] }
  | { readonly type: 'call'; readonly id: number; readonly method: 'drain'; readonly args: [DrainOptions?] }
  | { readonly type: 'call'; readonly id: number; readonly method: 'stop'; readonly args: [] };

export type Schedules = Record<string, { expression: string; next: string | undefined }>;

/** What the runner child sends back. */
export type FromRunnerChild =
  | {
      readonly type: 'ready';
      readonly url: string;
      readonly stats: Record<string, FunctionStats>;
      readonly schedules: Schedules;
    }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | {
      readonly type: 'invocation';
      readonly record: InvocationRecord;
      readonly stats: Record<string, FunctionStats>;
      readonly schedules: Schedules;
    }
  | { readonly type: 'log'; readonly entry: LogEntry };
