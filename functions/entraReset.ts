import { defineHttp } from '../shared/app/functions';
import { readBodyText } from '../shared/runtime/httpBody';
import { parseJsonBody } from '../shared/sync';
import { resetEntraDelta, resetRequestSchema } from '../shared/sync/entra/reset';

/**
 * `POST /api/sync/entra/reset` `{tenantId, how: "clear" | "latest"}`: resets a connection's delta (Halo's "Reset
 * Deltas"). 200 with what the next run does; 400 naming each problem; 404 for a tenant without a connection; 409
 * when `latest` has no directory copy to keep yet; 502 when Graph could not give the latest links.
 */
export const entraReset = defineHttp({
  name: 'entraReset',
  route: 'sync/entra/reset',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request, _context, deps) => {
    const text = await readBodyText(request);
    if (!text.ok) return { status: text.status, jsonBody: { error: text.error } };
    const body = parseJsonBody(text.text, resetRequestSchema);
    if (!body.ok) return { status: 400, jsonBody: { error: 'invalid request body', problems: body.problems } };
    const result = await resetEntraDelta(deps, body.value);
    if (result.ok) return { status: 200, jsonBody: result };
    const status = { unknownConnection: 404, noDirectoryCopy: 409, graphFailed: 502 }[result.reason];
    return { status, jsonBody: { error: result.message } };
  },
});
