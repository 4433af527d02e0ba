import { defineHttp } from '../shared/app/functions';
import { requireSync, statusFromHttp } from '../shared/sync';

/** `GET /api/tenant-sync/{runId}`: the contact sync's original status route (= `GET /api/sync/contacts/{runId}`). */
export const tenantSyncStatus = defineHttp({
  name: 'tenantSyncStatus',
  route: 'tenant-sync/{runId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request, _context, deps) => statusFromHttp(deps, requireSync('contacts'), request.params.runId ?? ''),
});
