import { defineHttp } from '../shared/app/functions';
import { handleGraphDelivery, NOTIFICATIONS_ROUTE } from '../shared/mail/useCases';
import { answerGraphPost } from '../shared/mail/useCases/graphPost';

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
  handler: (request, _context, deps) =>
    answerGraphPost(request, 'notification', (body) => handleGraphDelivery(deps, body)),
});
