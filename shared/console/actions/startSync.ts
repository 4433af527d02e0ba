import { z } from 'zod';
import type { Container } from '../../app/container';
import { tenantId } from '../../config/integration/common';
import { RUN_KIND, SYNC_MODES, startTenantSync } from '../../sync/engine';
import type { ActionResult } from '../http';

export const startSyncBodySchema = z
  .object({
    mode: z.enum(SYNC_MODES).optional(),
    tenantId: tenantId.optional(),
  })
  .strict();

/** Starts a run of a sync (plan or apply) for every source or one, as the sync's own HTTP start does. */
export async function startSync(
  deps: Container,
  kind: string,
  body: z.output<typeof startSyncBodySchema>,
): Promise<ActionResult> {
  if (kind !== RUN_KIND) return { ok: false, status: 404, error: `no sync "${kind}"` };
  const result = await startTenantSync(deps, { ...body, trigger: 'http' });
  if (result.ok) {
    return {
      ok: true,
      status: 202,
      message: `run started in ${result.mode} mode for ${result.tenants} tenant(s)`,
      runId: result.runId,
      run: `/api/console/syncs/${encodeURIComponent(kind)}/${encodeURIComponent(result.runId)}`,
    };
  }
  if (result.reason === 'failed') return { ok: false, status: 502, error: result.message, runId: result.runId };
  return { ok: false, status: result.reason === 'notConfigured' ? 503 : 404, error: result.message };
}
