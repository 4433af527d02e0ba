import { Cron } from 'croner';
import { z } from 'zod';
import type { RunRecord } from '../../storage';
import { getRunStatus, getSyncOverview, type SourceState, type SyncDefinition } from '../../sync/engine';
import { getPlan } from '../../sync/engine/runBlobs';
import { entraSync } from '../../sync/entra/definition';
import { SYNCS, syncOf } from '../../sync/syncs';
import type { ConsoleDeps } from '../deps';
import { maskSecrets } from '../mask';
import { pageLimit } from '../query';
import { NotFoundError } from './notFound';

/** A sync as the console shows it: its settings, its schedule and the apply run holding its lease. */
export interface SyncKindView {
  readonly kind: string;
  readonly title: string;
  readonly enabled: boolean;
  readonly mode: string;
  /** The modes a run can be started in (`apply` is the one that writes). */
  readonly modes: readonly string[];
  readonly schedule: string;
  readonly nextRunAt?: string;
  /** A scheduled occurrence that came due and has not started yet (the timer keeps trying). */
  readonly pendingSince?: string;
  /** The apply run holding the sync's lease (one apply run at a time); `active: false` once it stopped renewing. */
  readonly lease?: { readonly runId: string; readonly expiresAt: string; readonly active: boolean };
  /** Connections whose delta an operator can reset (the Entra ID sync's, Halo's "Reset Deltas"). */
  readonly deltas?: readonly { readonly tenantId: string; readonly name: string }[];
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
  readonly title: string;
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

/** Every sync the engine runs (tenant sync today; Entra ID and Intune join through the same registry). */
export async function syncKinds(deps: Pick<ConsoleDeps, 'config' | 'now' | 'stores'>): Promise<SyncKindView[]> {
  return Promise.all(SYNCS.map(async (sync) => syncKindView(deps, sync, await getSyncOverview(deps, sync, 0))));
}

function syncKindView(
  deps: Pick<ConsoleDeps, 'config'>,
  sync: SyncDefinition,
  overview: Awaited<ReturnType<typeof getSyncOverview>>,
): SyncKindView {
  const deltas =
    sync.kind === entraSync.kind
      ? deps.config.entraSync.connections.map((c) => ({ tenantId: c.tenantId, name: c.name }))
      : [];
  return {
    kind: sync.kind,
    title: sync.title,
    enabled: overview.enabled,
    mode: overview.mode,
    modes: sync.modes,
    schedule: overview.schedule.cron,
    ...(overview.enabled && overview.schedule.next ? { nextRunAt: overview.schedule.next } : {}),
    ...(overview.schedule.pending ? { pendingSince: overview.schedule.pending } : {}),
    ...(overview.lease
      ? { lease: { runId: overview.lease.runId, expiresAt: overview.lease.expiresAt, active: overview.lease.active } }
      : {}),
    ...(deltas.length > 0 ? { deltas } : {}),
  };
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
  const chosen = query.kind ? SYNCS.filter((s) => s.kind === query.kind) : SYNCS;
  if (query.kind && chosen.length === 0) {
    throw new UnknownSyncError(`no sync "${query.kind}" (syncs: ${SYNCS.map((s) => s.kind).join(', ')})`);
  }
  const overviews = await Promise.all(
    chosen.map(async (sync) => ({ sync, overview: await getSyncOverview(deps, sync, query.limit) })),
  );
  const runs = overviews
    .flatMap(({ sync, overview }) => overview.runs.map((run) => runRow(deps, sync, run)))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, query.limit);
  return { syncs: overviews.map(({ sync, overview }) => syncKindView(deps, sync, overview)), runs };
}

export class UnknownSyncError extends NotFoundError {
  override readonly name = 'UnknownSyncError';
}

/** One run: each source's outcome, its planned changes with their reasons, and the reports. */
export async function runDetail(deps: ConsoleDeps, kind: string, runId: string): Promise<RunDetail | undefined> {
  const sync = syncOf(kind);
  if (!sync) return undefined;
  const status = await getRunStatus(deps, sync, runId);
  if (!status) return undefined;
  const sources = await Promise.all(
    [...status.tenants]
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((source) => sourceView(deps, sync, runId, source)),
  );
  return { ...runRow(deps, sync, status.run), sources, reports: status.reports };
}

function runRow(deps: ConsoleDeps, sync: SyncDefinition, run: RunRecord): RunRow {
  const summary = (run.summary ?? {}) as { mode?: unknown; trigger?: unknown };
  return {
    kind: sync.kind,
    title: sync.title,
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

async function sourceView(
  deps: ConsoleDeps,
  sync: SyncDefinition,
  runId: string,
  tenant: SourceState,
): Promise<SourceView> {
  const links = deps.links;
  const plan = (await getPlan(deps.reports, sync.storageName, runId, tenant.tenantId)) as StoredPlan | undefined;
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
    counts: tenant.changes ?? {},
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
