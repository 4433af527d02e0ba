import type { Container } from '../../app/container';
import type { IntegrationConfig } from '../../config/integration';
import type { Logger } from '../../runtime/logger';
import type { QueueName } from '../../storage';
import type { SourceState } from './tenantState';

/** The syncs the engine runs. Each has its own folder next to engine/ (contacts/, entra/, intune/). */
export const SYNC_KINDS = ['contacts', 'entra', 'intune'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/** The one mode that writes to Halo; every other mode of a sync only reports. */
export const APPLY_MODE = 'apply';

/**
 * One thing a run syncs, keyed by its Microsoft tenant id: a customer tenant (contacts, Intune for an MSP) or a
 * configured connection's tenant (Entra ID, Intune for one organisation).
 */
export interface SyncSource {
  readonly tenantId: string;
  readonly displayName: string;
  /** Where the source came from (e.g. `gdap`, `contracts`, `config`, `connection`), shown in the status. */
  readonly source: string;
}

/** One planned change: a kind (for counts and reports) and why it is planned (for the person reading). */
export interface PlannedChange {
  readonly kind: string;
  readonly reason: string;
}

/** What every sync's plan for one source has in common. The engine stores it, reports it, and applies it. */
export interface SourcePlan {
  readonly tenantId: string;
  readonly changes: readonly PlannedChange[];
}

/** One Halo write: `POST <resource>` with an array of at most 100 records. */
export interface WriteBatch<Body = unknown> {
  readonly resource: string;
  readonly bodies: Body[];
  /** How many plan changes the batch carries (several changes to one record share one body). */
  readonly changeCount: number;
}

/** The settings every sync has in its own config section. */
export interface SyncSettings {
  readonly enabled: boolean;
  /** Six-field NCRONTAB (UTC), checked by the engine's schedule timer. */
  readonly schedule: string;
  /** The mode of a run started without one (timer, empty POST). */
  readonly mode: string;
  /** Records per write request (≤ 100). */
  readonly writeBatchSize: number;
}

export type SyncDeps = Pick<
  Container,
  'config' | 'graph' | 'graphForApp' | 'halo' | 'log' | 'now' | 'secrets' | 'storage' | 'stores' | 'reports'
>;

/** Syncs are bulk work: their Halo requests take the bulk lane, which leaves room for interactive work. */
export function inBulkLane<D extends Pick<Container, 'halo'>>(deps: D): D {
  return deps.halo.lane === 'bulk' ? deps : { ...deps, halo: deps.halo.view({ lane: 'bulk' }) };
}

export interface RunContext {
  readonly runId: string;
  readonly mode: string;
  readonly log: Logger;
}

/** A run's report: the JSON document (plans with reasons, outcomes) and CSV views of it, by file name. */
export interface SyncReportFiles {
  readonly json: unknown;
  readonly csv: Readonly<Record<string, string>>;
}

/** What happened to one source in a run: the plan says what should change, this says whether it did. */
export interface SourceOutcome {
  tenantId: string;
  status: 'planned' | 'applied' | 'failed' | 'skipped';
  /** Shown redacted. */
  error?: string;
  appliedChanges?: number;
}

/**
 * A sync, as the engine needs it: what it is called and where its state lives, how to find its sources, how to
 * read and plan one source (a reader, then a pure planner), and how its changes become Halo writes. The engine
 * does the rest: runs and their lease, one queue message per source, retries and poison, recorded write batches,
 * reports and schedules. See shared/sync/README.md.
 */
export interface SyncDefinition<P extends SourcePlan = SourcePlan> {
  readonly kind: SyncKind;
  /** For people: "tenant sync", "Entra ID sync". */
  readonly title: string;
  /** The name of its state: runs partition, report folder, dedupe scopes, schedule and lease checkpoints. */
  readonly storageName: string;
  /** The queue of its per-source messages (with its `-poison` twin). */
  readonly queue: QueueName;
  /** The queue function's name (the poison function is `<name>Poison`). */
  readonly functionName: string;
  /** Its modes; `apply` is the only one that writes. */
  readonly modes: readonly [string, ...string[]];
  settings(config: IntegrationConfig): SyncSettings;
  /** Why this sync cannot run with these dependencies (e.g. no Graph app), or undefined when it can. */
  notConfigured(deps: SyncDeps): string | undefined;
  /** Every source of a run. Throwing fails the run visibly (e.g. no source list could be read). */
  listSources(deps: SyncDeps, log: Logger): Promise<SyncSource[]>;
  /** The 404 text when a start names a tenant that is not among the sources. */
  unknownSource(tenantId: string): string;
  /**
   * Run-wide reads before any source is planned (e.g. Halo's companies and contacts in bulk, stored with the
   * run); what it returns is added to the run's summary. Runs after the run holds its lease.
   */
  prepareRun(deps: SyncDeps, run: RunContext): Promise<Record<string, unknown>>;
  /** Reads the source's inputs (Graph, and Halo or the run's snapshot) and plans with the pure planner. */
  planSource(deps: SyncDeps, run: RunContext, source: SourceState): Promise<P>;
  /** The plan's Halo writes, in order, merged per record and batched. */
  writes(plan: P, options: { batchSize: number }): WriteBatch[];
  /**
   * Last look before a batch is sent: the bodies to send. `recovering` is true when an earlier delivery claimed
   * this batch and may or may not have sent it: drop what Halo already has (look up before a retry).
   */
  beforeSend(
    deps: SyncDeps,
    batch: WriteBatch,
    context: { plan: P; recovering: boolean; runId: string },
  ): Promise<unknown[]>;
  /**
   * Sends one batch's bodies (what beforeSend returned) and does at once what must follow Halo's answer, e.g.
   * record the ids of created records that later batches of the plan refer to. Default: `POST <resource>`.
   */
  send?(deps: SyncDeps, batch: WriteBatch, bodies: unknown[], context: { plan: P; runId: string }): Promise<void>;
  /**
   * Apply mode, once every batch of the source's plan has been sent and before the source counts as done: e.g.
   * store the delta checkpoint the plan was read from. A failure is retried with the message (the batches are
   * not sent again), so it must be idempotent.
   */
  afterApply?(deps: SyncDeps, plan: P, context: { runId: string }): Promise<void>;
  /** What the source's status row shows besides its counts (e.g. how its company was matched). */
  sourceDetails(plan: P): Record<string, unknown>;
  /** Run totals for the run record (e.g. matched, unmatched, changes per kind). */
  runCounts(plans: readonly P[]): Record<string, number>;
  report(
    runId: string,
    plans: readonly P[],
    options: { mode: string; startedAt: string; finishedAt: string; outcomes: readonly SourceOutcome[] },
  ): SyncReportFiles;
  /** Human lines: one per finished source, and the run's totals. */
  describeSource(state: SourceState): string;
  describeTotals(counts: Readonly<Record<string, number>>, summary: Readonly<Record<string, unknown>>): string[];
}
