import { createHash } from 'node:crypto';
import type { JobSummary, RunRecord } from '../../storage';
import { getSyncOverview, type SyncDefinition, type SyncOverview } from '../../sync/engine';
import { listSourceRows } from '../../sync/engine/tenantState';
import { SYNCS } from '../../sync/syncs';
import type { ConsoleDeps } from '../deps';
import { maskSecrets } from '../mask';
import { describeCounts } from '../words';
import { type FailureCounts, failureCounts } from './failures';
import { type MailboxView, mailboxViews } from './mail';
import { nextOccurrence } from './syncs';

/** A timer function as the registry defines it (the overview shows when each fires next). */
export interface TimerInfo {
  readonly name: string;
  readonly schedule: string;
}

export type Health = 'ok' | 'warning' | 'failed' | 'idle';

export interface FlowHealth {
  readonly id: string;
  readonly title: string;
  readonly health: Health;
  /** The newest run (or job), in words. */
  readonly last?: { readonly status: string; readonly at: string; readonly summary: string; readonly error?: string };
  readonly nextRunAt?: string;
  /** The console page with the details. */
  readonly page: string;
}

export interface TenantHealth {
  readonly sync: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly lastSuccessAt?: string;
  readonly lastErrorAt?: string;
  readonly lastError?: string;
  /** What a person should do about the last error (or the unmatched company). */
  readonly fix?: string;
  readonly company?: { readonly id: number; readonly name: string; readonly url: string };
}

export interface WorkerHealth {
  readonly id: string;
  readonly group: string;
  /** When the worker last started or finished a job (or reported in). */
  readonly lastSeenAt?: string;
  readonly lastJob?: { readonly id: string; readonly status: string; readonly script: string };
  readonly hostname?: string;
}

export interface SubscriptionHealth {
  readonly id: string;
  readonly mailbox: string;
  readonly expiresAt: string;
  readonly health: Health;
}

export interface ConfigInForce {
  /** A short hash of the config document in force: two instances showing the same run the same config. */
  readonly version: string;
  readonly mailboxes: number;
  readonly scripts: number;
  readonly workers: number;
  readonly tenantSync: { readonly enabled: boolean; readonly mode: string; readonly schedule: string };
  /** Where it comes from (the config blob, a file, an app setting), never with a query string. */
  readonly source: string;
  /** `ok`, or why the app runs on something else than what was pushed (empty, missing, invalid, unreadable). */
  readonly state: string;
  readonly problems: readonly string[];
  /** When the document in force was pushed (blob sources), and when this instance loaded it. */
  readonly savedAt?: string;
  readonly loadedAt?: string;
}

export interface OverviewView {
  readonly generatedAt: string;
  readonly flows: readonly FlowHealth[];
  readonly tenants: readonly TenantHealth[];
  readonly workers: readonly WorkerHealth[];
  readonly subscriptions: readonly SubscriptionHealth[];
  readonly failures: FailureCounts;
  readonly config: ConfigInForce;
}

/** Jobs read for the automation flow's health and the workers' last jobs. */
const RECENT_JOBS = 50;
/** Runs of a sync read to find each tenant's last success and last error. */
const TENANT_HISTORY_RUNS = 5;
const DAY_MS = 86_400_000;

/** The Overview page and `cli status`: every flow's health, tenants, workers, subscriptions, config. */
export async function overviewView(deps: ConsoleDeps, timers: readonly TimerInfo[]): Promise<OverviewView> {
  const now = deps.now();
  const next = (timer: string) => {
    const found = timers.find((t) => t.name === timer);
    return found ? nextOccurrence(found.schedule, now) : {};
  };
  const syncOverviews = await Promise.all(
    SYNCS.map(async (sync) => ({ sync, overview: await getSyncOverview(deps, sync, TENANT_HISTORY_RUNS) })),
  );
  const [recentJobs, subscriptions] = await Promise.all([
    deps.stores.jobs.page({ limit: RECENT_JOBS }),
    deps.stores.subscriptions.list(),
  ]);
  const [mail, tenants, workers, failures] = await Promise.all([
    mailboxViews(
      deps,
      deps.config.mailboxes.map((m) => m.id),
      { recent: false, subscriptions },
    ),
    tenantHealth(deps, syncOverviews),
    workerHealth(deps, recentJobs.jobs),
    failureCounts(deps),
  ]);
  const automation = automationHealth(deps, recentJobs.jobs, next('haloScriptQueuePoll'));
  const mailFlows: FlowHealth[] = mail.map((mailbox) => ({
    id: `mail:${mailbox.id}`,
    title: `Mail ${mailbox.address}`,
    health: !mailbox.lastScan
      ? 'idle'
      : mailbox.lastScan.status === 'succeeded'
        ? 'ok'
        : mailbox.lastScan.status === 'partial'
          ? 'warning'
          : 'failed',
    ...(mailbox.lastScan
      ? {
          last: {
            status: mailbox.lastScan.status,
            at: mailbox.lastScan.finishedAt ?? mailbox.lastScan.startedAt,
            summary: scanSummary(mailbox.lastScan),
            ...(mailbox.lastScan.error ? { error: mailbox.lastScan.error } : {}),
          },
        }
      : {}),
    ...next('mailScanTimer'),
    page: `/api/console/mail?mailbox=${encodeURIComponent(mailbox.id)}`,
  }));
  const earliest = subscriptions.map((s) => s.expiresAt).sort()[0];
  const subscriptionFlow: FlowHealth = {
    id: 'graph-subscriptions',
    title: 'Graph change notifications',
    health: subscriptions.length === 0 ? 'idle' : subscriptionHealthOf(earliest!, now),
    ...(earliest
      ? {
          last: {
            status: 'subscribed',
            at: earliest,
            summary: `${subscriptions.length} subscription(s); first expiry ${earliest}`,
          },
        }
      : {}),
    ...next('graphSubscriptions'),
    page: '/api/console/mail',
  };
  return {
    generatedAt: now.toISOString(),
    flows: [automation, ...mailFlows, subscriptionFlow, ...syncOverviews.map((sync) => syncHealth(deps, sync))],
    tenants,
    workers,
    subscriptions: subscriptions
      .map((s) => ({
        id: s.id,
        mailbox: s.mailbox,
        expiresAt: s.expiresAt,
        health: subscriptionHealthOf(s.expiresAt, now),
      }))
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)),
    failures,
    config: configInForce(deps),
  };
}

function scanSummary(scan: NonNullable<MailboxView['lastScan']>): string {
  if (scan.idleScans) return `${scan.idleScans} idle scan(s), nothing new`;
  return describeCounts(scan.counts) || 'nothing new';
}

function subscriptionHealthOf(expiresAt: string, now: Date): Health {
  const left = Date.parse(expiresAt) - now.getTime();
  return left <= 0 ? 'failed' : left < 60 * 60_000 ? 'warning' : 'ok';
}

/** From the newest jobs: the last one, and how many of them failed in the last 24 hours. */
function automationHealth(deps: ConsoleDeps, recent: readonly JobSummary[], next: { nextRunAt?: string }): FlowHealth {
  const job = recent[0];
  const since = deps.now().getTime() - DAY_MS;
  const failedToday = recent.filter((j) => j.status === 'failed' && Date.parse(j.updatedAt) >= since).length;
  const health: Health = !job ? 'idle' : failedToday > 0 || job.status === 'failed' ? 'warning' : 'ok';
  return {
    id: 'automation',
    title: 'Script automation',
    health,
    ...(job
      ? {
          last: {
            status: job.status,
            at: job.finishedAt ?? job.startedAt ?? job.createdAt,
            summary: `${job.script}${job.ticketId !== undefined ? ` for ticket ${job.ticketId}` : ''}${
              failedToday > 0 ? `; ${failedToday} of the last ${recent.length} job(s) failed in 24 h` : ''
            }`,
            ...(job.error ? { error: maskSecrets(job.error, deps.secrets) } : {}),
          },
        }
      : {}),
    ...next,
    page: '/api/console/scripts',
  };
}

function syncHealth(
  deps: ConsoleDeps,
  { sync, overview }: { sync: SyncDefinition; overview: SyncOverview },
): FlowHealth {
  const [run] = overview.runs;
  return {
    id: `sync:${sync.kind}`,
    title: `${sync.title} (${overview.enabled ? `${overview.mode} mode` : 'disabled'})`,
    health: !run ? 'idle' : runHealth(run),
    ...(run
      ? {
          last: {
            status: run.status,
            at: run.finishedAt ?? run.startedAt,
            summary: describeCounts(run.counts),
            ...(run.error ? { error: maskSecrets(run.error, deps.secrets) } : {}),
          },
        }
      : {}),
    ...(overview.enabled && overview.schedule.next ? { nextRunAt: overview.schedule.next } : {}),
    page: `/api/console/syncs?kind=${encodeURIComponent(sync.kind)}`,
  };
}

function runHealth(run: RunRecord): Health {
  return run.status === 'succeeded'
    ? 'ok'
    : run.status === 'running'
      ? 'ok'
      : run.status === 'partial'
        ? 'warning'
        : 'failed';
}

/** Each tenant's last success and last error over the newest runs of each sync. */
async function tenantHealth(
  deps: ConsoleDeps,
  syncs: readonly { sync: SyncDefinition; overview: SyncOverview }[],
): Promise<TenantHealth[]> {
  const links = deps.links;
  const out: TenantHealth[] = [];
  for (const { sync, overview } of syncs) {
    const statuses = await Promise.all(
      overview.runs.map(async (run) => ({
        run,
        tenants: (await listSourceRows(deps.stores.runs, sync.storageName, run.runId)).map((row) => row.state),
      })),
    );
    const byTenant = new Map<string, TenantHealth>();
    // Newest run first: the first success and the first error seen are the latest of each.
    for (const status of statuses) {
      for (const tenant of status.tenants) {
        const key = tenant.tenantId.toLowerCase();
        const seen: TenantHealth = byTenant.get(key) ?? {
          sync: sync.title,
          tenantId: tenant.tenantId,
          displayName: tenant.displayName,
        };
        const at = status.run.finishedAt ?? status.run.startedAt;
        const match = tenant.match as Record<string, unknown> | undefined;
        const unmatched = match && typeof match.unmatched === 'string' ? match : undefined;
        let next: TenantHealth = seen;
        if (!seen.company && match && typeof match.clientId === 'number') {
          next = {
            ...next,
            company: { id: match.clientId, name: String(match.clientName ?? ''), url: links.company(match.clientId) },
          };
        }
        if (tenant.phase === 'done' && !unmatched && !seen.lastSuccessAt) next = { ...next, lastSuccessAt: at };
        if ((tenant.phase === 'failed' || unmatched) && !seen.lastErrorAt) {
          const error = tenant.phase === 'failed' ? (tenant.error ?? 'failed') : String(unmatched?.unmatched ?? '');
          const fix = unmatched ? String(unmatched.instruction ?? '') : fixFor(error);
          next = {
            ...next,
            lastErrorAt: at,
            lastError: maskSecrets(error, deps.secrets),
            ...(fix ? { fix } : {}),
          };
        }
        byTenant.set(key, next);
      }
    }
    out.push(...[...byTenant.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)));
  }
  return out;
}

/** What to do about a tenant's error, for the errors whose fix is known. */
export function fixFor(error: string): string | undefined {
  if (/consent/i.test(error) || /AADSTS65001|AADSTS700016/.test(error)) {
    return 'Consent the app in this customer tenant (an admin of the tenant, or through GDAP), then run the sync again.';
  }
  if (/Authorization_RequestDenied|\b403\b|Forbidden|insufficient privileges/i.test(error)) {
    return 'Grant the Microsoft Graph application permission the error names, admin-consent it in this tenant, then run the sync again.';
  }
  if (/\b429\b|throttl/i.test(error))
    return 'Throttled: the next run retries by itself; act only if it keeps happening.';
  if (/AADSTS90002|tenant .* not found/i.test(error))
    return 'The tenant id is wrong or the tenant was deleted: check it in the config.';
  return undefined;
}

/** Each configured worker's last job: among the newest jobs, or else its own newest (one more read). */
async function workerHealth(deps: ConsoleDeps, recent: readonly JobSummary[]): Promise<WorkerHealth[]> {
  const registered = new Map((await deps.stores.workers.list()).map((w) => [w.id, w]));
  return Promise.all(
    deps.config.workers.map(async (worker) => {
      const job =
        recent.find((j) => j.workerId === worker.id) ??
        (await deps.stores.jobs.page({ workerId: worker.id, limit: 1 })).jobs[0];
      const stored = registered.get(worker.id);
      const seen = [job?.finishedAt, job?.startedAt, stored?.lastSeenAt].filter((t): t is string => Boolean(t)).sort();
      return {
        id: worker.id,
        group: worker.group,
        ...(seen.length > 0 ? { lastSeenAt: seen[seen.length - 1] } : {}),
        ...(job ? { lastJob: { id: job.id, status: job.status, script: job.script } } : {}),
        ...(stored?.hostname ? { hostname: stored.hostname } : {}),
      };
    }),
  );
}

function configInForce(deps: ConsoleDeps): ConfigInForce {
  const { config } = deps;
  const status = deps.configStatus();
  return {
    version: createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12),
    mailboxes: config.mailboxes.length,
    scripts: config.scripts.length,
    workers: config.workers.length,
    tenantSync: {
      enabled: config.tenantSync.enabled,
      mode: config.tenantSync.mode,
      schedule: config.tenantSync.schedule,
    },
    source: maskSecrets(status.source.replace(/\?.*$/, ''), deps.secrets),
    state: status.state,
    problems: status.problems.map((problem) => maskSecrets(problem, deps.secrets)),
    ...(status.savedAt ? { savedAt: status.savedAt } : {}),
    ...(status.loadedAt ? { loadedAt: status.loadedAt } : {}),
  };
}
