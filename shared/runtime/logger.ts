import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
  readonly time: string;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogSink = (entry: LogEntry) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger that masks secrets in the message and in every field before the sink sees them. */
export function createLogger(options: {
  sink: LogSink;
  secrets?: () => readonly string[];
  level?: LogLevel;
  fields?: LogFields;
}): Logger {
  const minimum = ORDER[options.level ?? 'info'];
  const base = options.fields ?? {};
  const secrets = options.secrets ?? (() => []);
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (ORDER[level] < minimum) return;
    const known = secrets();
    const masked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...base, ...fields })) masked[key] = maskValue(value, known);
    options.sink({ level, message: redact(message, known), fields: masked, time: new Date().toISOString() });
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function maskValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value instanceof Error) return redact(value.message, secrets);
  if (value === null || typeof value !== 'object') return value;
  return JSON.parse(redact(JSON.stringify(value), secrets));
}

/** A sink for tests and tools: keeps the entries in memory. */
export function memorySink(): LogSink & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const sink = ((entry: LogEntry) => {
    entries.push(entry);
  }) as LogSink & { entries: LogEntry[] };
  sink.entries = entries;
  return sink;
}

export const silentLogger: Logger = createLogger({ sink: () => {} });
