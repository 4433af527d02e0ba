import { z } from 'zod';
import type { RunRecord, RunStatus, RunStore } from '../../storage';
import type { ChangeKind } from '../contacts/changes';
import type { CustomerTenant } from '../contacts/customerTenants';
import type { CompanyMatchResult } from '../contacts/matchCompany';
import type { SyncMode } from '../contacts/report';
import { tenantKey, tenantRowKind } from './keys';

export type TenantPhase = 'queued' | 'syncing' | 'retrying' | 'done' | 'failed';

/** What one tenant of a run did (or is doing): its row in the runs store, partition `tenant-sync:<runId>`. */
export interface TenantState {
  tenantId: string;
  displayName: string;
  source: CustomerTenant['source'];
  mode: SyncMode;
  phase: TenantPhase;
  attempts: number;
  match?: CompanyMatchResult;
  changes?: Partial<Record<ChangeKind, number>>;
  skippedUsers?: number;
  /** Apply mode: write batches of the plan, and how many were sent now or by an earlier attempt. */
  batches?: { total: number; written: number };
  appliedChanges?: number;
  /** The last error (redacted); on a failed tenant, the reason. */
  error?: string;
}

const stateSchema = z.object({
  tenantId: z.string(),
  displayName: z.string(),
  source: z.enum(['gdap', 'contracts', 'config']),
  mode: z.enum(['match', 'plan', 'apply']),
  phase: z.enum(['queued', 'syncing', 'retrying', 'done', 'failed']),
  attempts: z.number().int().nonnegative(),
  match: z.record(z.string(), z.unknown()).optional(),
  changes: z.record(z.string(), z.number()).optional(),
  skippedUsers: z.number().optional(),
  batches: z.object({ total: z.number(), written: z.number() }).optional(),
  appliedChanges: z.number().optional(),
  error: z.string().optional(),
});

export interface TenantRow {
  readonly record: RunRecord;
  readonly state: TenantState;
}

const statusOf = (phase: TenantPhase): RunStatus =>
  phase === 'done' ? 'succeeded' : phase === 'failed' ? 'failed' : 'running';

export function isFinished(state: TenantState): boolean {
  return state.phase === 'done' || state.phase === 'failed';
}

function fromRecord(record: RunRecord): TenantRow {
  const parsed = stateSchema.safeParse(record.summary);
  if (!parsed.success) {
    throw new Error(`tenant row ${record.kind}/${record.runId} has no readable state: ${parsed.error.message}`);
  }
  return { record, state: parsed.data as TenantState };
}

export async function getTenantRow(runs: RunStore, runId: string, tenantId: string): Promise<TenantRow | undefined> {
  const record = await runs.get(tenantRowKind(runId), tenantKey(tenantId));
  return record ? fromRecord(record) : undefined;
}

export async function listTenantRows(runs: RunStore, runId: string): Promise<TenantRow[]> {
  return (await runs.list(tenantRowKind(runId))).map(fromRecord);
}

/** Writes a tenant's row; only that tenant's message (and its poison handler) writes it, so no ETag is needed. */
export async function saveTenantState(
  runs: RunStore,
  runId: string,
  state: TenantState,
  startedAt: string,
  now: Date,
): Promise<void> {
  const status = statusOf(state.phase);
  const counts: Record<string, number> = { attempts: state.attempts };
  for (const [kind, n] of Object.entries(state.changes ?? {})) counts[kind] = n ?? 0;
  if (state.appliedChanges !== undefined) counts.appliedChanges = state.appliedChanges;
  await runs.upsert({
    kind: tenantRowKind(runId),
    runId: tenantKey(state.tenantId),
    status,
    startedAt,
    ...(status === 'running' ? {} : { finishedAt: now.toISOString() }),
    counts,
    summary: state,
    ...(state.error === undefined ? {} : { error: state.error }),
  });
}
