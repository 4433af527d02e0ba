import { z } from 'zod';
import type { Container } from '../../app/container';
import { startRequestSchema, startRun } from '../../sync/engine';
import { syncOf } from '../../sync/syncs';
import type { ActionResult } from '../http';

/** The body of a start: which sync's modes are valid is checked against the sync (startRequestSchema). */
export const startSyncBodySchema = z
  .object({
    mode: z.string().trim().min(1).max(40).optional(),
    tenantId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** Starts a run of a sync (a report-only mode or apply) for every source or one, as `POST /api/sync/{kind}` does. */
export async function startSync(
  deps: Container,
  kind: string,
  body: z.output<typeof startSyncBodySchema>,
): Promise<ActionResult> {
  const sync = syncOf(kind);
  if (!sync) return { ok: false, status: 404, error: `no sync "${kind}"` };
  const request = startRequestSchema(sync).safeParse(body);
  if (!request.success) {
    return {
      ok: false,
      status: 400,
      error: 'invalid request body',
      problems: request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  }
  const result = await startRun(deps, sync, { ...request.data, trigger: 'http' });
  if (result.ok) {
    return {
      ok: true,
      status: 202,
      message: `${sync.title} run started in ${result.mode} mode for ${result.tenants} source(s)`,
      runId: result.runId,
      run: `/api/console/syncs/${encodeURIComponent(kind)}/${encodeURIComponent(result.runId)}`,
    };
  }
  switch (result.reason) {
    case 'busy':
      return { ok: false, status: 409, error: result.message, runningRunId: result.runningRunId };
    case 'failed':
      return { ok: false, status: 502, error: result.message, runId: result.runId };
    case 'notConfigured':
      return { ok: false, status: 503, error: result.message };
    case 'unknownTenant':
      return { ok: false, status: 404, error: result.message };
  }
}
