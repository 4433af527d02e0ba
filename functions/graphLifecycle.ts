import { validationResponse } from '../shared/mail';
import { handleLifecycleEvents, LIFECYCLE_ROUTE } from '../shared/mail/useCases';
import { readJsonBody } from '../shared/mail/useCases/httpBody';
import { defineHttp } from '../shared/runtime/registry';

/** Graph lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed); anonymous like graphNotifications. */
export const graphLifecycle = defineHttp({
  name: 'graphLifecycle',
  route: LIFECYCLE_ROUTE,
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (request, _context, deps) => {
    const handshake = validationResponse(request.query);
    if (handshake) return handshake;
    const body = await readJsonBody(request);
    if (!body.ok) return { status: body.status, jsonBody: { error: body.error } };
    const outcome = await handleLifecycleEvents(deps, body.value);
    if (!outcome.ok) return { status: 400, jsonBody: { error: 'invalid lifecycle body', problems: outcome.problems } };
    return { status: 202 };
  },
});
