import { type ParseArgsConfig, parseArgs } from 'node:util';

/** One `npm run cli -- <name> …` command. A command group (one file in dev/cli/) exports a list of these. */
export interface CliCommand {
  name: string;
  /** The usage after `npm run cli -- `, e.g. `runs` or `config push <file>`. */
  usage: string;
  /** Exit code: 0 all well, 1 the command ran and found a problem, 2 wrong usage. */
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {}

/** Strict option parsing: an unknown option or a missing value is a UsageError (exit code 2 with the usage). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('. ')[0]);
  }
}

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}
