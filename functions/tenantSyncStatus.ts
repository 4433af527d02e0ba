import { defineHttp } from '../shared/runtime/registry';
import { getRunStatus } from '../shared/sync/engine';

/** `GET /api/tenant-sync/{runId}`: the run and each tenant's outcome (matched how, counts, error). */
export const tenantSyncStatus = defineHttp({
  name: 'tenantSyncStatus',
  route: 'tenant-sync/{runId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request, _context, deps) => {
    const runId = request.params.runId ?? '';
    const status = await getRunStatus(deps, runId);
    return status
      ? { status: 200, jsonBody: status }
      : { status: 404, jsonBody: { error: `no tenant sync run ${runId}` } };
  },
});
