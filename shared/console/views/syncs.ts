import { Cron } from 'croner';
import { z } from 'zod';
import type { RunRecord } from '../../storage';
import { blobPaths, getRunStatus, RUN_KIND, type TenantState } from '../../sync/engine';
import type { ConsoleDeps } from '../deps';
import { maskSecrets } from '../mask';
import { pageLimit } from '../query';

/** The syncs the console shows, each by the runs partition its engine writes. */
export interface SyncKindView {
  readonly kind: string;
  readonly title: string;
  readonly enabled: boolean;
  readonly mode: string;
  readonly schedule: string;
  readonly nextRunAt?: string;
}

export const runsQuerySchema = z
  .object({
    kind: z.string().trim().min(1).optional(),
    limit: pageLimit(100, 20),
  })
  .strict();
export type RunsQuery = z.output<typeof runsQuerySchema>;

export interface RunRow {
  readonly kind: string;
  readonly runId: string;
  readonly status: string;
  readonly mode?: string;
  readonly trigger?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly error?: string;
}

export interface RunsView {
  readonly syncs: readonly SyncKindView[];
  readonly runs: readonly RunRow[];
}

export interface ChangeView {
  readonly kind: string;
  readonly reason: string;
  /** Who or what the change is about, in words ("Megan Bowen <megan@contoso.com>", "Contoso Ltd"). */
  readonly subject?: string;
  readonly url?: string;
}

export interface SourceView {
  readonly tenantId: string;
  readonly displayName: string;
  readonly phase: string;
  readonly attempts: number;
  readonly company?: { readonly id: number; readonly name: string; readonly by: string; readonly url: string };
  /** Why the tenant matched no company, and the fix. */
  readonly unmatched?: { readonly reason: string; readonly fix: string };
  readonly counts: Readonly<Record<string, number>>;
  readonly appliedChanges?: number;
  readonly error?: string;
  /** The planned changes with their reasons (the first MAX_CHANGES; the report has them all). */
  readonly changes: readonly ChangeView[];
  readonly changeTotal: number;
  readonly skipped: readonly { readonly subject: string; readonly reason: string }[];
}

export interface RunDetail extends RunRow {
  readonly sources: readonly SourceView[];
  /** Paths in the reports container, downloadable through the console. */
  readonly reports: readonly string[];
}

const MAX_CHANGES = 200;
const MAX_SKIPPED = 50;

/** Every sync the app runs (more arrive with the sync engine: Entra ID, Intune). */
export function syncKinds(deps: Pick<ConsoleDeps, 'config' | 'now'>): SyncKindView[] {
  const tenantSync = deps.config.tenantSync;
  return [
    {
      kind: RUN_KIND,
      title: 'Tenant sync',
      enabled: tenantSync.enabled,
      mode: tenantSync.mode,
      schedule: tenantSync.schedule,
      ...(tenantSync.enabled ? nextOccurrence(tenantSync.schedule, deps.now()) : {}),
    },
  ];
}

/** The next occurrence of a six-field NCRONTAB (UTC) after `from`, as `{ nextRunAt }`. */
export function nextOccurrence(schedule: string, from: Date): { nextRunAt?: string } {
  try {
    const next = new Cron(schedule, { paused: true, mode: '6-part', timezone: 'UTC' }).nextRun(from);
    return next ? { nextRunAt: next.toISOString() } : {};
  } catch {
    return {};
  }
}

/** The Syncs page and `cli runs`: the newest runs of every sync (or one), newest first. */
export async function runsView(deps: ConsoleDeps, query: RunsQuery): Promise<RunsView> {
  const syncs = syncKinds(deps);
  const kinds = query.kind ? syncs.filter((s) => s.kind === query.kind) : syncs;
  if (query.kind && kinds.length === 0) {
    throw new UnknownSyncError(`no sync "${query.kind}" (syncs: ${syncs.map((s) => s.kind).join(', ')})`);
  }
  const runs = (await Promise.all(kinds.map((s) => deps.stores.runs.list(s.kind, { top: query.limit }))))
    .flat()
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, query.limit);
  return { syncs, runs: runs.map((run) => runRow(deps, run)) };
}

export class UnknownSyncError extends Error {
  override readonly name = 'UnknownSyncError';
}

/** One run: each tenant's outcome, its planned changes with their reasons, and the reports. */
export async function runDetail(deps: ConsoleDeps, kind: string, runId: string): Promise<RunDetail | undefined> {
  if (!syncKinds(deps).some((s) => s.kind === kind)) return undefined;
  const status = await getRunStatus(deps, runId);
  if (!status) return undefined;
  const sources = await Promise.all(
    [...status.tenants]
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((tenant) => sourceView(deps, runId, tenant)),
  );
  const reports = (status.run.summary as { reports?: unknown } | undefined)?.reports;
  return {
    ...runRow(deps, status.run),
    sources,
    reports: Array.isArray(reports) ? reports.filter((r): r is string => typeof r === 'string') : [],
  };
}

function runRow(deps: ConsoleDeps, run: RunRecord): RunRow {
  const summary = (run.summary ?? {}) as { mode?: unknown; trigger?: unknown };
  return {
    kind: run.kind,
    runId: run.runId,
    status: run.status,
    ...(typeof summary.mode === 'string' ? { mode: summary.mode } : {}),
    ...(typeof summary.trigger === 'string' ? { trigger: summary.trigger } : {}),
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    counts: run.counts,
    ...(run.error ? { error: maskSecrets(run.error, deps.secrets) } : {}),
  };
}

interface StoredPlan {
  changes?: {
    kind?: unknown;
    reason?: unknown;
    contact?: { id?: unknown; name?: unknown; email?: unknown };
    clientId?: unknown;
    clientName?: unknown;
  }[];
  skippedUsers?: { userPrincipalName?: unknown; reason?: unknown }[];
}

async function sourceView(deps: ConsoleDeps, runId: string, tenant: TenantState): Promise<SourceView> {
  const links = deps.links;
  const blob = await deps.reports.get(blobPaths(runId).plan(tenant.tenantId));
  const plan = blob ? (JSON.parse(blob.content.toString('utf8')) as StoredPlan) : undefined;
  const match = tenant.match as Record<string, unknown> | undefined;
  const changes = (plan?.changes ?? []).map((change): ChangeView => {
    const contact = change.contact;
    const contactId = typeof contact?.id === 'number' ? contact.id : undefined;
    const clientId = typeof change.clientId === 'number' ? change.clientId : undefined;
    const subject = contact
      ? `${String(contact.name ?? '')} <${String(contact.email ?? '')}>`
      : typeof change.clientName === 'string'
        ? change.clientName
        : undefined;
    return {
      kind: String(change.kind ?? 'change'),
      reason: String(change.reason ?? ''),
      ...(subject ? { subject } : {}),
      ...(contactId !== undefined
        ? { url: links.user(contactId) }
        : clientId !== undefined
          ? { url: links.company(clientId) }
          : {}),
    };
  });
  return {
    tenantId: tenant.tenantId,
    displayName: tenant.displayName,
    phase: tenant.phase,
    attempts: tenant.attempts,
    ...(match && typeof match.clientId === 'number'
      ? {
          company: {
            id: match.clientId,
            name: String(match.clientName ?? ''),
            by: String(match.by ?? ''),
            url: links.company(match.clientId),
          },
        }
      : {}),
    ...(match && typeof match.unmatched === 'string'
      ? { unmatched: { reason: match.unmatched, fix: String(match.instruction ?? '') } }
      : {}),
    counts: Object.fromEntries(Object.entries(tenant.changes ?? {}).map(([k, v]) => [k, v ?? 0])),
    ...(tenant.appliedChanges !== undefined ? { appliedChanges: tenant.appliedChanges } : {}),
    ...(tenant.error ? { error: maskSecrets(tenant.error, deps.secrets) } : {}),
    changes: changes.slice(0, MAX_CHANGES),
    changeTotal: changes.length,
    skipped: (plan?.skippedUsers ?? []).slice(0, MAX_SKIPPED).map((s) => ({
      subject: String(s.userPrincipalName ?? ''),
      reason: String(s.reason ?? ''),
    })),
  };
}
