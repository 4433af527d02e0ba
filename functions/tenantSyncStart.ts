import { readBodyText } from '../shared/runtime/httpBody';
import { defineHttp } from '../shared/runtime/registry';
import { parseJsonBody, startRequestSchema, startTenantSync } from '../shared/sync/engine';

/** `POST /api/tenant-sync` `{tenantId?, mode?}`: starts a run for every customer tenant or one; 202 with the run id. */
export const tenantSyncStart = defineHttp({
  name: 'tenantSyncStart',
  route: 'tenant-sync',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request, _context, deps) => {
    const text = await readBodyText(request);
    if (!text.ok) return { status: text.status, jsonBody: { error: text.error } };
    const body = parseJsonBody(text.text, startRequestSchema);
    if (!body.ok) return { status: 400, jsonBody: { error: 'invalid request body', problems: body.problems } };
    const result = await startTenantSync(deps, { ...body.value, trigger: 'http' });
    if (result.ok) {
      return {
        status: 202,
        jsonBody: {
          runId: result.runId,
          mode: result.mode,
          tenants: result.tenants,
          status: `/api/tenant-sync/${result.runId}`,
        },
      };
    }
    if (result.reason === 'failed') return { status: 502, jsonBody: { runId: result.runId, error: result.message } };
    return { status: result.reason === 'notConfigured' ? 503 : 404, jsonBody: { error: result.message } };
  },
});
