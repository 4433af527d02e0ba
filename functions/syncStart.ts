import { defineHttp } from '../shared/app/functions';
import { readBodyText } from '../shared/runtime/httpBody';
import { startFromHttp, syncOf } from '../shared/sync';

/** `POST /api/sync/{kind}` `{tenantId?, mode?}`: starts a run of that sync; 202 with the run id, 409 while one applies. */
export const syncStart = defineHttp({
  name: 'syncStart',
  route: 'sync/{kind}',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request, _context, deps) => {
    const sync = syncOf(request.params.kind ?? '');
    if (!sync) return { status: 404, jsonBody: { error: `no sync of kind ${request.params.kind}` } };
    const text = await readBodyText(request);
    if (!text.ok) return { status: text.status, jsonBody: { error: text.error } };
    return startFromHttp(deps, sync, text.text);
  },
});
