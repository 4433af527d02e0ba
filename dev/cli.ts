// `npm run cli -- <command>`: operator commands against the configured services, or the local demo stack when no
// real Halo is configured (local.settings.json without HALO_BASE_URL). Each command group lives in dev/cli/<group>.ts
// and is listed here once.

import { runInFlow } from '../shared/runtime/flow';
import { checkCommands } from './cli/check';
import type { CliCommand } from './cli/command';
import { UsageError } from './cli/command';
import { configCommands } from './cli/config';
import { consentCommands } from './cli/consent';
import { consoleCommands } from './cli/console';
import { entraCommands } from './cli/entra';
import { syncCommands } from './cli/sync';

const commands: CliCommand[] = [
  ...syncCommands,
  ...entraCommands,
  ...consoleCommands,
  ...configCommands,
  ...consentCommands,
  ...checkCommands,
];
const USAGE = `usage: npm run cli -- ${commands.map((command) => command.usage).join(' | ')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || (name && rest.some((arg) => arg === '--help' || arg === '-h'))) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(name ? `unknown command '${name}'\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\nusage: npm run cli -- ${command.usage}`);
    return 2;
  }
}

// Its Halo requests count under the flow `cli` (functions the CLI runs in process count under their own).
runInFlow('cli', () => main(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`halo-bridge cli: ${(error as Error).message}`);
    process.exit(1);
  },
);
