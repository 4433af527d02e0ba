// Sync commands: sync; `--kind` picks the sync (default contacts, i.e. tenant sync). A run's status and the runs are
// the console's reads (dev/cli/console.ts: status <runId>, runs).
import {
  describeRun,
  getRunStatus,
  parseJsonBody,
  SYNCS,
  type SyncDefinition,
  startRequestSchema,
  startRun,
  syncOf,
} from '../../shared/sync';
import { type CliCommand, parseCommandArgs, say, UsageError } from './command';
import { connect, type Services } from './services';

const common = { kind: { type: 'string' }, verbose: { type: 'boolean', default: false } } as const;
const kinds = SYNCS.map((s) => s.kind).join('|');

function syncFor(kind: string | undefined): SyncDefinition {
  const sync = syncOf(kind ?? 'contacts');
  if (!sync) throw new UsageError(`invalid options: --kind must be one of ${SYNCS.map((s) => s.kind).join(', ')}`);
  return sync;
}

export const syncCommands: CliCommand[] = [
  {
    name: 'sync',
    usage: `sync [--kind ${kinds}] [--tenant <id>] [--mode <mode>] [--verbose]`,
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, { ...common, tenant: { type: 'string' }, mode: { type: 'string' } });
      const sync = syncFor(values.kind);
      const request = parseJsonBody(
        JSON.stringify({
          ...(values.tenant ? { tenantId: values.tenant } : {}),
          ...(values.mode ? { mode: values.mode } : {}),
        }),
        startRequestSchema(sync),
      );
      if (!request.ok) {
        throw new UsageError(
          `invalid options: ${request.problems
            .join('; ')
            .replace(/\$\.tenantId/g, '--tenant')
            .replace(/\$\.mode/g, '--mode')}`,
        );
      }
      return withServices(values.verbose, async (services) => {
        const started = await startRun(services.container, sync, { ...request.value, trigger: 'cli' });
        if (!started.ok) {
          // A refusal because an apply run holds the lease says what HTTP says with its 409: which run, until when.
          console.error(`${sync.title} did not start: ${started.message}`);
          return 1;
        }
        say(`run ${started.runId} started (${started.mode} mode, ${started.tenants} tenants); processing ...`);
        const status = await waitForRun(services, sync, started.runId);
        const { lines, failures } = describeRun(sync, status);
        for (const line of lines) say(line);
        for (const failure of failures) say(`FAILED: ${failure}`);
        return status.run.status === 'succeeded' ? 0 : 1;
      });
    },
  },
];

async function withServices(verbose: boolean, use: (services: Services) => Promise<number>): Promise<number> {
  const services = await connect(verbose);
  say(`halo-bridge cli: ${services.where}`);
  try {
    return await use(services);
  } finally {
    // What the command cost in Halo requests goes into the shared budget's history (flow `cli`).
    await services.container.haloBudget.flushUsage().catch(() => undefined);
    await services.stop();
  }
}

async function waitForRun(services: Services, sync: SyncDefinition, runId: string) {
  for (;;) {
    await services.runner.drain({ idleMs: 200, timeoutMs: 600_000 });
    const status = await getRunStatus(services.container, sync, runId);
    if (!status) throw new Error(`run ${runId} disappeared`);
    if (status.run.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 500));
  }
}
