// Entra ID sync commands: entra-reset (a connection's delta: clear or latest), entra-log (a run's inbound log).
import type { Container } from '../../shared/app/container';
import { listRuns, parseJsonBody, requireSync } from '../../shared/sync';
import type { EntraPlan, InboundLogEntry } from '../../shared/sync/entra';
import { resetEntraDelta, resetRequestSchema } from '../../shared/sync/entra/reset';
import { type CliCommand, parseCommandArgs, say as sayLine } from './command';
import { connect } from './services';

export const entraCommands: CliCommand[] = [
  {
    name: 'entra-reset',
    usage: 'entra-reset --tenant <id> --how clear|latest',
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, {
        tenant: { type: 'string' },
        how: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      });
      return withContainer(values.verbose, (container) =>
        entraResetCommand(container, { tenant: values.tenant, how: values.how }, sayLine),
      );
    },
  },
  {
    name: 'entra-log',
    usage: 'entra-log [<runId>] [--user <upn or object id>]',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, {
        user: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      });
      return withContainer(values.verbose, (container) =>
        entraLogCommand(container, { runId: positionals[0], user: values.user }, sayLine),
      );
    },
  },
];

async function withContainer(verbose: boolean, use: (container: Container) => Promise<number>): Promise<number> {
  const services = await connect(verbose);
  sayLine(`halo-bridge cli: ${services.where}`);
  try {
    return await use(services.container);
  } finally {
    await services.stop();
  }
}

/** `entra-reset --tenant <id> --how clear|latest`. */
export async function entraResetCommand(
  container: Container,
  options: { tenant?: string; how?: string },
  say: (line: string) => void,
): Promise<number> {
  const request = parseJsonBody(JSON.stringify({ tenantId: options.tenant, how: options.how }), resetRequestSchema);
  if (!request.ok) {
    say(
      `invalid options: ${request.problems
        .join('; ')
        .replace(/\$\.tenantId/g, '--tenant')
        .replace(/\$\.how/g, '--how')}`,
    );
    return 2;
  }
  const result = await resetEntraDelta(container, request.value);
  say(result.ok ? `reset (${result.how}): ${result.message}` : `not reset: ${result.message}`);
  return result.ok ? 0 : 1;
}

/** `entra-log [<runId>] [--user x]`: the inbound log of a run (the newest Entra ID run by default). */
export async function entraLogCommand(
  container: Container,
  options: { runId?: string; user?: string },
  say: (line: string) => void,
): Promise<number> {
  const runId = options.runId ?? (await listRuns(container, requireSync('entra'), 1))[0]?.runId;
  if (!runId) {
    say('no Entra ID sync run yet');
    return 1;
  }
  const blob = await container.reports.get(`entra-sync/${runId}/report.json`);
  if (!blob) {
    say(`no report for run ${runId} (still running, or not an Entra ID sync run)`);
    return 1;
  }
  const report = JSON.parse(blob.content.toString('utf8')) as { connections: EntraPlan[] };
  const wanted = options.user?.trim().toLowerCase();
  let shown = 0;
  for (const plan of report.connections) {
    say(`${plan.connectionName} (${plan.tenantId}), run ${runId}:`);
    for (const entry of plan.log) {
      if (wanted && entry.upn.toLowerCase() !== wanted && entry.oid.toLowerCase() !== wanted) continue;
      for (const line of describeLogEntry(entry)) say(line);
      shown++;
    }
  }
  if (shown === 0) say(wanted ? `no record for ${options.user} in run ${runId}` : 'no user was processed in this run');
  return 0;
}

export function describeLogEntry(entry: InboundLogEntry): string[] {
  const lines = [`  ${entry.upn} [${entry.event}] → ${entry.outcome}`];
  if (entry.mappings.length > 0) lines.push(`      mappings: ${entry.mappings.join('; ')}`);
  if (entry.agent) lines.push(`      agent: ${entry.agent}`);
  if (entry.user) lines.push(`      user: ${entry.user}`);
  if (entry.changes.length > 0) lines.push(`      changes: ${entry.changes.join('; ')}`);
  for (const problem of entry.problems ?? []) lines.push(`      PROBLEM: ${problem}`);
  return lines;
}
