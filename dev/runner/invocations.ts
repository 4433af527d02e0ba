import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import { type LogLevel as HostLogLevel, InvocationContext } from '@azure/functions';
import { ConfigError } from '../../shared/config/zodIssues';
import type { Logger } from '../../shared/runtime/logger';
import { redact } from '../../shared/runtime/redact';
import { SecretAccessError, SecretNotFoundError } from '../../shared/secrets/secretProvider';

export type TriggerKind = 'http' | 'timer' | 'queue';

/** One finished invocation, as `onInvocation` listeners and `drain()` see it. */
export interface InvocationRecord {
  readonly functionName: string;
  readonly trigger: TriggerKind;
  readonly invocationId: string;
  readonly outcome: 'success' | 'failure';
  /** The failure's message, secrets masked. */
  readonly error?: string;
  /** Queue triggers: the message id, and whether this failure moved the message to the poison queue. */
  readonly messageId?: string;
  readonly poisoned?: boolean;
  readonly durationMs: number;
}

export interface FunctionStats {
  invocations: number;
  successes: number;
  failures: number;
  /** Messages this queue function gave up on (moved to `<queue>-poison`). */
  poisoned: number;
}

export type InvocationListener = (record: InvocationRecord) => void;

/** Counts what runs, tells listeners, and knows whether anything is running (for drain and stop). */
export class InvocationTracker {
  private readonly counts = new Map<string, FunctionStats>();
  private readonly listeners = new Set<InvocationListener>();
  private idleWaiters: (() => void)[] = [];
  running = 0;

  constructor(
    functionNames: readonly string[],
    private readonly log: Logger,
  ) {
    for (const name of functionNames) this.counts.set(name, { invocations: 0, successes: 0, failures: 0, poisoned: 0 });
  }

  begin(): void {
    this.running++;
  }

  end(record: InvocationRecord | undefined): void {
    this.running--;
    if (record) {
      const stats = this.statsOf(record.functionName);
      stats.invocations++;
      if (record.outcome === 'success') stats.successes++;
      else stats.failures++;
      if (record.poisoned) stats.poisoned++;
      for (const listener of this.listeners) {
        try {
          listener(record);
        } catch (error) {
          this.log.warn('invocation listener threw', { error });
        }
      }
    }
    if (this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** A message moved to poison without an invocation (it came back with too many dequeues). */
  poisonedWithoutInvocation(functionName: string): void {
    this.statsOf(functionName).poisoned++;
  }

  onInvocation(listener: InvocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): Record<string, FunctionStats> {
    return Object.fromEntries([...this.counts].map(([name, stats]) => [name, { ...stats }]));
  }

  /** Resolves when nothing runs, or after `timeoutMs`; true when idle. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private statsOf(name: string): FunctionStats {
    let stats = this.counts.get(name);
    if (!stats) {
      stats = { invocations: 0, successes: 0, failures: 0, poisoned: 0 };
      this.counts.set(name, stats);
    }
    return stats;
  }
}

const LEVELS: Record<HostLogLevel, keyof Omit<Logger, 'child'> | undefined> = {
  trace: 'debug',
  debug: 'debug',
  information: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
  none: undefined,
};

/** An InvocationContext like the host's: a fresh id, `context.log` going to our logger, the trigger's metadata. */
export function createInvocationContext(options: {
  functionName: string;
  trigger: TriggerKind;
  log: Logger;
  triggerMetadata?: Record<string, unknown>;
}): InvocationContext {
  const invocationId = randomUUID();
  const log = options.log.child({ function: options.functionName, invocationId });
  return new InvocationContext({
    invocationId,
    functionName: options.functionName,
    triggerMetadata: options.triggerMetadata ?? {},
    options: { trigger: { type: `${options.trigger}Trigger`, name: triggerParameterName(options.trigger) } },
    logHandler: (level, ...args) => {
      const method = LEVELS[level];
      if (method) log[method](format(...args));
    },
  });
}

function triggerParameterName(trigger: TriggerKind): string {
  if (trigger === 'http') return 'httpTrigger1';
  return trigger === 'timer' ? 'timerTrigger1' : 'storageQueueTrigger1';
}

/** An error's message for records and logs: never a stack with payloads, secrets masked. */
export function describeError(error: unknown, secrets: readonly string[]): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redact(message, secrets);
}

/** Errors that mean "the settings or secrets are wrong", not "the code is": their message is the whole story. */
export function isConfigurationError(error: unknown): boolean {
  return error instanceof ConfigError || error instanceof SecretNotFoundError || error instanceof SecretAccessError;
}
