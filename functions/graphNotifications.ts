import { validationResponse } from '../shared/mail';
import { handleChangeNotifications, NOTIFICATIONS_ROUTE } from '../shared/mail/useCases';
import { readJsonBody } from '../shared/mail/useCases/httpBody';
import { defineHttp } from '../shared/runtime/registry';

/**
 * Graph change notifications for our mailbox subscriptions. Anonymous on purpose: Graph can only send a function
 * key inside the notificationUrl, which would copy the key into every subscription Graph stores. Each notification
 * instead carries its subscription's random clientState, checked in constant time, and all a valid one can do is
 * queue a (coalesced) scan.
 */
export const graphNotifications = defineHttp({
  name: 'graphNotifications',
  route: NOTIFICATIONS_ROUTE,
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (request, _context, deps) => {
    const handshake = validationResponse(request.query);
    if (handshake) return handshake;
    const body = await readJsonBody(request);
    if (!body.ok) return { status: body.status, jsonBody: { error: body.error } };
    const outcome = await handleChangeNotifications(deps, body.value);
    if (!outcome.ok)
      return { status: 400, jsonBody: { error: 'invalid notification body', problems: outcome.problems } };
    return { status: 202 };
  },
});
