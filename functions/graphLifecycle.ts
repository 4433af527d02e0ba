import { defineHttp } from '../shared/app/functions';
import { handleGraphDelivery, LIFECYCLE_ROUTE } from '../shared/mail/useCases';
import { answerGraphPost } from '../shared/mail/useCases/graphPost';

/** Graph lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed); anonymous like graphNotifications. */
export const graphLifecycle = defineHttp({
  name: 'graphLifecycle',
  route: LIFECYCLE_ROUTE,
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: (request, _context, deps) =>
    answerGraphPost(request, 'lifecycle', (body) => handleGraphDelivery(deps, body)),
});
