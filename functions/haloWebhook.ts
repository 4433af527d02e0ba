import type { HttpResponseInit } from '@azure/functions';
import { defineHttp } from '../shared/app/functions';
import { checkBasicAuth, parseHaloWebhook } from '../shared/automation';
import { acceptWebhook } from '../shared/automation/useCases';
import { readBodyText } from '../shared/runtime/httpBody';

/**
 * `POST /api/halo/webhook`: Halo's webhook (function key plus the Basic credentials configured in Halo). Answers
 * 202 once the events are on `halo-events`; a re-sent delivery is acknowledged without enqueuing anything.
 */
export const haloWebhook = defineHttp({
  name: 'haloWebhook',
  route: 'halo/webhook',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request, context, deps): Promise<HttpResponseInit> => {
    const credentials = {
      username: deps.settings.HALO_WEBHOOK_USERNAME,
      password: deps.settings.HALO_WEBHOOK_PASSWORD,
    };
    if (!checkBasicAuth(request.headers.get('authorization'), credentials)) {
      context.warn('halo webhook: missing or wrong Basic credentials');
      return {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="halo-bridge"' },
        jsonBody: { error: 'the Basic credentials are missing or wrong' },
      };
    }
    const body = await readBodyText(request);
    if (!body.ok) return { status: body.status, jsonBody: { error: body.error } };
    const parsed = parseHaloWebhook(body.text);
    if (!parsed.ok) return { status: 400, jsonBody: { error: parsed.error } };
    const intake = await acceptWebhook(deps, parsed.events);
    if (intake.inProgress > 0) {
      return {
        status: 503,
        headers: { 'retry-after': '30' },
        jsonBody: { error: 'some events of this delivery are being processed; send it again later', ...intake },
      };
    }
    return { status: 202, jsonBody: intake };
  },
});
