import { defineHttp } from '../shared/app/functions';
import { readBodyText } from '../shared/runtime/httpBody';
import { requireSync, startFromHttp } from '../shared/sync';

/** `POST /api/tenant-sync` `{tenantId?, mode?}`: the contact sync's original route (= `POST /api/sync/contacts`). */
export const tenantSyncStart = defineHttp({
  name: 'tenantSyncStart',
  route: 'tenant-sync',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request, _context, deps) => {
    const text = await readBodyText(request);
    if (!text.ok) return { status: text.status, jsonBody: { error: text.error } };
    return startFromHttp(deps, requireSync('contacts'), text.text, (runId) => `/api/tenant-sync/${runId}`);
  },
});
