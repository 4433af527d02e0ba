// `npm run cli -- check`: one row per thing the system needs, each ok / fail / warn with its fix. Runs against a
// Container (the demo stack's, or one built from the deployment's settings), so it checks the same clients the
// functions use. Reads only: nothing is written to Halo, Graph or storage.
import type { IntegrationConfig } from '../config/integration';
import { customerTenantNeeds, partnerTenantNeeds } from '../consent/permissions';
import {
  BLOB_CONTAINERS,
  blobServiceClient,
  jobsQueueName,
  poisonQueueName,
  QUEUES,
  queueServiceClient,
  TABLES,
  tableServiceClient,
} from '../storage';
import type { Container } from './container';

export type CheckStatus = 'ok' | 'fail' | 'warn';
export interface CheckRow {
  readonly area: string;
  readonly item: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

export interface CheckOptions {
  /** Secrets the deployment needs, by Key Vault name, with whether each was found (checked by the caller). */
  readonly secrets: readonly { name: string; present: boolean; fix: string }[];
  /** A worker not seen for this long is reported (default 24 h). */
  readonly workerSilenceMs?: number;
}

export async function runSystemCheck(container: Container, options: CheckOptions): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const add = (row: CheckRow) => rows.push(row);
  const attempt = async (area: string, item: string, run: () => Promise<string>, fix: (error: unknown) => string) => {
    try {
      add({ area, item, status: 'ok', detail: await run() });
    } catch (error) {
      add({ area, item, status: 'fail', detail: short(error), fix: fix(error) });
    }
  };

  const config = container.configStatus();
  add({
    area: 'config',
    item: `integration config (${config.source})`,
    status: config.state === 'ok' && config.problems.length === 0 ? 'ok' : 'fail',
    detail:
      config.state === 'ok' && config.problems.length === 0
        ? config.features.join(', ') || 'valid'
        : `${config.state}: ${config.problems.slice(0, 3).join('; ')}`,
    ...(config.state === 'ok' && config.problems.length === 0
      ? {}
      : { fix: 'npm run cli -- config validate <file>, then config push <file>' }),
  });

  for (const secret of options.secrets) {
    add({
      area: 'secrets',
      item: secret.name,
      status: secret.present ? 'ok' : 'fail',
      detail: secret.present ? 'present' : 'missing',
      ...(secret.present ? {} : { fix: secret.fix }),
    });
  }
  const webhookSet = Boolean(container.settings.HALO_WEBHOOK_USERNAME && container.settings.HALO_WEBHOOK_PASSWORD);
  add({
    area: 'halo',
    item: 'webhook credentials',
    status: webhookSet ? 'ok' : 'fail',
    detail: webhookSet ? `Basic auth user ${container.settings.HALO_WEBHOOK_USERNAME}` : 'not set',
    ...(webhookSet ? {} : { fix: 'set HALO_WEBHOOK_USERNAME and the halo-webhook-password secret' }),
  });

  await checkStorage(container, container.config, attempt);
  await checkHalo(container, attempt, add);
  await checkGraph(container, container.config, attempt, add);
  await checkWorkers(container, container.config, options.workerSilenceMs ?? 86_400_000, add);
  return rows;
}

type Attempt = (
  area: string,
  item: string,
  run: () => Promise<string>,
  fix: (error: unknown) => string,
) => Promise<void>;

async function checkStorage(container: Container, config: IntegrationConfig, attempt: Attempt) {
  const groups = [
    ...new Set(['default', ...config.scripts.map((s) => s.workerGroup), config.haloScriptQueue.workerGroup]),
  ];
  const queues = [...Object.values(QUEUES), ...groups.map(jobsQueueName)];
  const storageFix = (error: unknown) =>
    /AuthorizationPermissionMismatch|403/.test(short(error))
      ? 'give your identity Storage Queue/Table/Blob Data Contributor on the account (azd provision grants it to the deployer)'
      : 'check AzureWebJobsStorage / the storage account name, and that the account allows your network';
  await attempt(
    'storage',
    `queues (${queues.length} and their -poison twins)`,
    async () => {
      const client = queueServiceClient(container.storage);
      const missing: string[] = [];
      for (const name of queues.flatMap((q) => [q, poisonQueueName(q)])) {
        if (!(await client.getQueueClient(name).exists())) missing.push(name);
      }
      if (missing.length > 0) throw new Error(`missing queue(s): ${missing.join(', ')}`);
      return 'all present';
    },
    (error) =>
      /missing queue/.test(short(error))
        ? 'run azd provision (infra/app/storage.bicep creates them)'
        : storageFix(error),
  );
  await attempt(
    'storage',
    `tables (${Object.values(TABLES).length})`,
    async () => {
      const present = new Set<string>();
      for await (const table of tableServiceClient(container.storage).listTables())
        if (table.name) present.add(table.name);
      const missing = Object.values(TABLES).filter((t) => !present.has(t));
      if (missing.length > 0) throw new Error(`missing table(s): ${missing.join(', ')}`);
      return 'all present';
    },
    (error) =>
      /missing table/.test(short(error))
        ? 'run azd provision (infra/app/storage.bicep creates them)'
        : storageFix(error),
  );
  await attempt(
    'storage',
    'blob containers',
    async () => {
      const client = blobServiceClient(container.storage);
      const missing: string[] = [];
      for (const name of Object.values(BLOB_CONTAINERS)) {
        if (!(await client.getContainerClient(name).exists())) missing.push(name);
      }
      if (missing.length > 0) throw new Error(`missing container(s): ${missing.join(', ')}`);
      return 'all present';
    },
    (error) => (/missing container/.test(short(error)) ? 'run azd provision' : storageFix(error)),
  );
}

async function checkHalo(container: Container, attempt: Attempt, add: (row: CheckRow) => void) {
  const haloFix = (what: string) => (error: unknown) =>
    /401|invalid_client|unauthori/i.test(short(error))
      ? 'check HALO_CLIENT_ID and the halo-client-secret secret (Configuration > Integrations > Halo API > View Applications)'
      : /403/.test(short(error))
        ? `give the Halo API application (and its agent) the permission to ${what}`
        : 'check HALO_BASE_URL (the resource server URL from Halo API Details) and HALO_TENANT for hosted Halo';
  await attempt(
    'halo',
    'token and read tickets',
    async () => {
      const tickets = await container.halo.listTickets({}, { maxRows: 1 });
      return `read ${tickets.length} ticket(s)`;
    },
    haloFix('read tickets'),
  );
  await attempt(
    'halo',
    'read users and clients',
    async () => {
      const users = await container.halo.listUsers({});
      const clients = await container.halo.listClients();
      return `${users.length} user(s), ${clients.length} client(s)`;
    },
    haloFix('read customers'),
  );
  await attempt(
    'halo',
    'SQL reports (bulk reads)',
    async () => {
      const rows = await container.halo.runReport('SELECT Aarea AS id FROM AREA');
      return `report returned ${rows.length} row(s)`;
    },
    haloFix('run reports (reporting: read)'),
  );
  add({
    area: 'halo',
    item: 'write users and tickets',
    status: 'warn',
    detail: 'not checked: Halo has no dry run or permission endpoint, and check never writes',
    fix: 'the API application needs tickets (edit) and customers (edit); the first tenant sync in apply mode shows it',
  });
}

async function checkGraph(
  container: Container,
  config: IntegrationConfig,
  attempt: Attempt,
  add: (row: CheckRow) => void,
) {
  if (!container.graph) {
    const needed = config.mailboxes.length > 0 || config.tenantSync.enabled;
    add({
      area: 'graph',
      item: 'Entra app',
      status: needed ? 'fail' : 'ok',
      detail: needed ? 'not configured, but mailboxes or tenant sync are' : 'not configured (no Graph features)',
      ...(needed ? { fix: 'set GRAPH_CLIENT_ID and GRAPH_HOME_TENANT_ID, and the graph-client-secret secret' } : {}),
    });
    return;
  }
  const graph = container.graph;
  const consentFix = 'npm run cli -- consent --apply (signed in as a partner admin)';
  const tenantChecks: { tenantId: string; label: string; probes: { permission: string; probe: string }[] }[] = [];
  const home = container.settings.GRAPH_HOME_TENANT_ID!;
  tenantChecks.push({ tenantId: home, label: 'partner tenant', probes: partnerTenantNeeds(config) });
  const customers = new Map(config.tenantSync.include.map((t) => [t.tenantId.toLowerCase(), t.name ?? t.tenantId]));
  if (config.tenantSync.enabled && config.tenantSync.discovery === 'gdap') {
    try {
      for (const customer of await graph.home().listDelegatedAdminCustomers()) {
        customers.set(customer.tenantId.toLowerCase(), customer.displayName ?? customer.tenantId);
      }
    } catch (error) {
      add({ area: 'graph', item: 'GDAP customers', status: 'fail', detail: short(error), fix: consentFix });
    }
  }
  for (const excluded of config.tenantSync.exclude) customers.delete(excluded.toLowerCase());
  for (const [tenantId, label] of customers) {
    tenantChecks.push({ tenantId, label, probes: customerTenantNeeds(config) });
  }
  for (const tenant of tenantChecks) {
    for (const need of tenant.probes) {
      await attempt(
        'graph',
        `${tenant.label}: ${need.permission}`,
        async () => {
          await graph.forTenant(tenant.tenantId).get(need.probe);
          return 'app-only call succeeded';
        },
        (error) =>
          /AADSTS7000215|invalid_client/.test(short(error))
            ? 'the graph-client-secret is wrong or expired: add a new secret value'
            : consentFix,
      );
    }
  }
  for (const mailbox of config.mailboxes) {
    const client = graph.forTenant(mailbox.tenantId);
    await attempt(
      'mail',
      `${mailbox.address}: open inbox`,
      async () => {
        await client.get(`/users/${encodeURIComponent(mailbox.address)}/mailFolders/inbox`);
        return 'readable';
      },
      () => `run scripts/exchange/Grant-ScopedMailboxAccess.ps1 -Mailboxes ${mailbox.address} in that tenant`,
    );
    const configured = new Set(config.mailboxes.map((m) => m.address.toLowerCase()));
    add(await mailScopeRow(client, mailbox.address, configured));
  }
}

/**
 * Proves the Exchange RBAC scope: another mailbox of the tenant must be refused. Users without a mailbox prove
 * nothing either way, so up to 10 are tried.
 */
async function mailScopeRow(
  client: ReturnType<NonNullable<Container['graph']>['forTenant']>,
  address: string,
  configured: ReadonlySet<string>,
): Promise<CheckRow> {
  const item = `${address}: scope`;
  let candidates: string[] = [];
  try {
    const users = (await client.get('/users?$top=20&$select=id,mail,userPrincipalName')) as {
      value: { mail?: string | null; userPrincipalName?: string }[];
    };
    candidates = users.value
      .map((u) => u.mail ?? u.userPrincipalName ?? '')
      .filter((a) => a && !configured.has(a.toLowerCase()))
      .slice(0, 10);
  } catch (error) {
    return {
      area: 'mail',
      item,
      status: 'warn',
      detail: `cannot list users to prove the scope with (${short(error)})`,
    };
  }
  for (const other of candidates) {
    try {
      await client.get(`/users/${encodeURIComponent(other)}/mailFolders/inbox`);
      return {
        area: 'mail',
        item,
        status: 'fail',
        detail: `the app can also open ${other}'s mailbox: mail access is tenant-wide`,
        fix: 'remove Mail.ReadWrite / Mail.Send from the app in Entra (Enterprise applications > Permissions) and run scripts/exchange/Grant-ScopedMailboxAccess.ps1',
      };
    } catch (error) {
      if (/403|ErrorAccessDenied/.test(short(error))) {
        return { area: 'mail', item, status: 'ok', detail: `${other}'s mailbox is refused (outside the scope)` };
      }
    }
  }
  return { area: 'mail', item, status: 'warn', detail: 'no other mailbox found to prove the scope with' };
}

async function checkWorkers(
  container: Container,
  config: IntegrationConfig,
  silenceMs: number,
  add: (row: CheckRow) => void,
) {
  if (config.scripts.length > 0 && config.workers.length === 0) {
    add({
      area: 'workers',
      item: 'registered workers',
      status: 'fail',
      detail: `${config.scripts.length} script(s) configured but no worker registered`,
      fix: 'npm run worker -- keygen on the server, then add it to "workers" in the config and config push',
    });
    return;
  }
  const now = container.now().getTime();
  for (const worker of config.workers) {
    const record = await container.stores.workers.get(worker.id).catch(() => undefined);
    const seen = record?.lastSeenAt ? Date.parse(record.lastSeenAt) : undefined;
    const recent = seen !== undefined && now - seen <= silenceMs;
    add({
      area: 'workers',
      item: `${worker.id} (${worker.group})`,
      status: recent ? 'ok' : 'warn',
      detail: recent
        ? `seen ${record?.lastSeenAt}`
        : seen
          ? `last seen ${record?.lastSeenAt}`
          : 'registered, not seen yet',
      ...(recent ? {} : { fix: `npm run worker -- check --config <file> on ${worker.id}, and that its service runs` }),
    });
  }
}

function short(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (/AADSTS\d+: [^.]*\./.exec(message)?.[0] ?? message).split('\n')[0]!.slice(0, 200);
}

export function formatCheckTable(rows: readonly CheckRow[]): string[] {
  const mark = { ok: 'ok  ', fail: 'FAIL', warn: 'warn' } as const;
  const width = Math.min(48, Math.max(...rows.map((r) => `${r.area} ${r.item}`.length)));
  const lines = rows.flatMap((row) => {
    const head = `${mark[row.status]}  ${`${row.area} ${row.item}`.padEnd(width)}  ${row.detail}`;
    return row.fix && row.status !== 'ok' ? [head, `${' '.repeat(6 + width + 2)}fix: ${row.fix}`] : [head];
  });
  const count = (s: CheckStatus) => rows.filter((r) => r.status === s).length;
  lines.push(`${count('ok')} ok, ${count('fail')} failed, ${count('warn')} warning(s)`);
  return lines;
}
