import type { SyncDefinition, SyncDeps } from './definition';
import { parseJsonBody } from './jsonBody';
import { startRequestSchema } from './messages';
import { getRunStatus, getSyncOverview } from './runStatus';
import { startRun } from './startRun';

export interface JsonResponse {
  status: number;
  jsonBody: unknown;
}

/** Where a run's status is read over HTTP: the generic route, or the contact sync's original one. */
export type StatusRoute = (runId: string) => string;

export const syncStatusRoute =
  (sync: Pick<SyncDefinition, 'kind'>): StatusRoute =>
  (runId) =>
    `/api/sync/${sync.kind}/${runId}`;

/**
 * `POST /api/sync/{kind}` and `POST /api/tenant-sync`: `{tenantId?, mode?}` → 202 with the run id; 409 with the
 * running run's id while an apply run holds the lease; 400 naming each problem; 404 for an unknown tenant; 503
 * when the sync is not configured; 502 when the run could not start (the run records why).
 */
export async function startFromHttp(
  deps: SyncDeps,
  sync: SyncDefinition,
  bodyText: string,
  statusRoute: StatusRoute = syncStatusRoute(sync),
): Promise<JsonResponse> {
  const body = parseJsonBody(bodyText, startRequestSchema(sync));
  if (!body.ok) return { status: 400, jsonBody: { error: 'invalid request body', problems: body.problems } };
  const result = await startRun(deps, sync, { ...body.value, trigger: 'http' });
  if (result.ok) {
    const { runId, mode, tenants } = result;
    return { status: 202, jsonBody: { runId, mode, tenants, status: statusRoute(runId) } };
  }
  switch (result.reason) {
    case 'busy':
      return {
        status: 409,
        jsonBody: {
          error: result.message,
          runningRunId: result.runningRunId,
          leaseExpiresAt: result.leaseExpiresAt,
          status: statusRoute(result.runningRunId),
        },
      };
    case 'failed':
      return { status: 502, jsonBody: { runId: result.runId, error: result.message } };
    case 'notConfigured':
      return { status: 503, jsonBody: { error: result.message } };
    case 'unknownTenant':
      return { status: 404, jsonBody: { error: result.message } };
  }
}

/** `GET /api/sync/{kind}/{runId}` (one run with its sources) and `GET /api/sync/{kind}` (the sync at a glance). */
export async function statusFromHttp(
  deps: SyncDeps,
  sync: SyncDefinition,
  runId: string | undefined,
): Promise<JsonResponse> {
  if (runId === undefined || runId === '') return { status: 200, jsonBody: await getSyncOverview(deps, sync) };
  const status = await getRunStatus(deps, sync, runId);
  return status
    ? { status: 200, jsonBody: status }
    : { status: 404, jsonBody: { error: `no ${sync.title} run ${runId}` } };
}
