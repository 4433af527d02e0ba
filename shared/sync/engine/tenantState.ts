import { z } from 'zod';
import type { RunRecord, RunStatus, RunStore } from '../../storage';
import { tenantKey, tenantRowKind } from './keys';

export type SourcePhase = 'queued' | 'syncing' | 'retrying' | 'done' | 'failed';

/**
 * What one source of a run did (or is doing): its row in the runs store, partition `<storageName>:<runId>`.
 * A sync adds its own details (`sourceDetails`, e.g. the contact sync's company match) next to these fields.
 */
export interface SourceState {
  tenantId: string;
  displayName: string;
  /** Where the source came from (gdap, contracts, config, connection, ...). */
  source: string;
  mode: string;
  phase: SourcePhase;
  attempts: number;
  /** Planned changes per kind. */
  changes?: Record<string, number>;
  /** Apply mode: write batches of the plan, and how many were sent now or by an earlier attempt. */
  batches?: { total: number; written: number };
  appliedChanges?: number;
  /** The last error (redacted); on a failed source, the reason. */
  error?: string;
  /** The sync's own details (see SyncDefinition.sourceDetails). */
  readonly [detail: string]: unknown;
}

const stateSchema = z.looseObject({
  tenantId: z.string(),
  displayName: z.string(),
  source: z.string(),
  mode: z.string(),
  phase: z.enum(['queued', 'syncing', 'retrying', 'done', 'failed']),
  attempts: z.number().int().nonnegative(),
  changes: z.record(z.string(), z.number()).optional(),
  batches: z.object({ total: z.number(), written: z.number() }).optional(),
  appliedChanges: z.number().optional(),
  error: z.string().optional(),
});

export interface SourceRow {
  readonly record: RunRecord;
  readonly state: SourceState;
}

const statusOf = (phase: SourcePhase): RunStatus =>
  phase === 'done' ? 'succeeded' : phase === 'failed' ? 'failed' : 'running';

export function isFinished(state: SourceState): boolean {
  return state.phase === 'done' || state.phase === 'failed';
}

function fromRecord(record: RunRecord): SourceRow {
  const parsed = stateSchema.safeParse(record.summary);
  if (!parsed.success) {
    throw new Error(`source row ${record.kind}/${record.runId} has no readable state: ${parsed.error.message}`);
  }
  return { record, state: parsed.data as SourceState };
}

export async function getSourceRow(
  runs: RunStore,
  storageName: string,
  runId: string,
  tenantId: string,
): Promise<SourceRow | undefined> {
  const record = await runs.get(tenantRowKind(storageName, runId), tenantKey(tenantId));
  return record ? fromRecord(record) : undefined;
}

export async function listSourceRows(runs: RunStore, storageName: string, runId: string): Promise<SourceRow[]> {
  return (await runs.list(tenantRowKind(storageName, runId))).map(fromRecord);
}

/** Writes a source's row; only that source's message (and its poison handler) writes it, so no ETag is needed. */
export async function saveSourceState(
  runs: RunStore,
  storageName: string,
  runId: string,
  state: SourceState,
  startedAt: string,
  now: Date,
): Promise<void> {
  const status = statusOf(state.phase);
  const counts: Record<string, number> = { attempts: state.attempts };
  for (const [kind, n] of Object.entries(state.changes ?? {})) counts[kind] = n ?? 0;
  if (state.appliedChanges !== undefined) counts.appliedChanges = state.appliedChanges;
  await runs.upsert({
    kind: tenantRowKind(storageName, runId),
    runId: tenantKey(state.tenantId),
    status,
    startedAt,
    ...(status === 'running' ? {} : { finishedAt: now.toISOString() }),
    counts,
    summary: state,
    ...(state.error === undefined ? {} : { error: state.error }),
  });
}
