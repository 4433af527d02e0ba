import type { LogEntry, LogSink } from '../../shared/runtime/logger';

const COLOURS = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' } as const;
const RESET = '\x1b[0m';

/** A readable one-line-per-event log for the terminal: time, level, component, message, then the fields. */
export function consoleSink(options: { colour: boolean; write?: (line: string) => void }): LogSink {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return (entry: LogEntry) => {
    const { component, ...fields } = entry.fields as Record<string, unknown>;
    const time = entry.time.slice(11, 19);
    const level = entry.level.toUpperCase().padEnd(5);
    const tag = component ? `[${String(component)}] ` : '';
    const rest = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const text = `${time} ${level} ${tag}${entry.message}${rest ? `  ${rest}` : ''}`;
    write(options.colour ? `${COLOURS[entry.level]}${text}${RESET}` : text);
  };
}
