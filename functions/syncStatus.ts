import { defineHttp } from '../shared/app/functions';
import { statusFromHttp, syncOf } from '../shared/sync';

/** `GET /api/sync/{kind}` (schedule, lease, newest runs) and `GET /api/sync/{kind}/{runId}` (one run, per source). */
export const syncStatus = defineHttp({
  name: 'syncStatus',
  route: 'sync/{kind}/{runId?}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request, _context, deps) => {
    const sync = syncOf(request.params.kind ?? '');
    if (!sync) return { status: 404, jsonBody: { error: `no sync of kind ${request.params.kind}` } };
    return statusFromHttp(deps, sync, request.params.runId);
  },
});
