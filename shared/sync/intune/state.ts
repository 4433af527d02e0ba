import { z } from 'zod';
import type { ReportStore } from '../../storage';
import { tenantKey } from '../engine/keys';
import type { StateUpdate } from './changes';
import { INTUNE_SYNC_STORAGE } from './constants';
import { emptyState, type IntuneSourceState } from './types';

/**
 * Per tenant, what the last apply run committed (afterSource): the device count the drop guard compares with,
 * and what was written that Halo's list rows cannot show (software, and users when rows carry none). One blob per
 * tenant next to the runs' reports; only apply runs write it, and one apply run runs at a time.
 */
export const statePath = (tenantId: string) => `${INTUNE_SYNC_STORAGE}/state/${tenantKey(tenantId)}.json`;

const stateSchema = z.object({
  version: z.literal(1),
  baselineDeviceCount: z.number().int().nonnegative().optional(),
  baselineAt: z.string().optional(),
  software: z.record(z.string(), z.string()).default({}),
  users: z.record(z.string(), z.string()).default({}),
  runId: z.string().optional(),
  updatedAt: z.string().optional(),
});

/** The tenant's state; an empty one before the first apply run (or when the blob is unreadable: it is rewritten). */
export async function readSourceState(reports: ReportStore, tenantId: string): Promise<IntuneSourceState> {
  const blob = await reports.get(statePath(tenantId));
  if (!blob) return emptyState();
  try {
    const parsed = stateSchema.safeParse(JSON.parse(blob.content.toString('utf8')));
    return parsed.success ? parsed.data : emptyState();
  } catch {
    return emptyState();
  }
}

/** The state after a plan was applied: its update merged over what was there. Pure. */
export function nextState(
  previous: IntuneSourceState,
  update: StateUpdate,
  context: { runId: string; at: Date },
): IntuneSourceState {
  const software = { ...previous.software, ...update.software };
  const users = { ...previous.users, ...update.users };
  for (const id of update.forget) {
    delete software[id];
    delete users[id];
  }
  const baseline =
    update.baselineDeviceCount !== undefined
      ? { baselineDeviceCount: update.baselineDeviceCount, baselineAt: context.at.toISOString() }
      : previous.baselineDeviceCount !== undefined
        ? { baselineDeviceCount: previous.baselineDeviceCount, baselineAt: previous.baselineAt }
        : {};
  return {
    version: 1,
    ...baseline,
    software,
    users,
    runId: context.runId,
    updatedAt: context.at.toISOString(),
  };
}

export async function writeSourceState(
  reports: ReportStore,
  tenantId: string,
  state: IntuneSourceState,
): Promise<void> {
  await reports.put(statePath(tenantId), JSON.stringify(state), 'application/json');
}
