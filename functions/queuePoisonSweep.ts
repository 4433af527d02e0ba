import { defineTimer, sweepPoisonQueues } from '../shared/app/functions';

/**
 * Every minute: whatever waits in a queue's `-poison` twin becomes a recorded failure (with a masked preview) and
 * is deleted. The host moves a message there only when it cannot hand it to the function (not base64) or when no
 * delivery could record its own failure (timeouts, stopped instances); a timer reads it with the plain queue
 * client, because a trigger on `-poison` would move such a message on to `-poison-poison`, unseen.
 */
export const queuePoisonSweep = defineTimer({
  name: 'queuePoisonSweep',
  schedule: '30 * * * * *',
  handler: async (_timer, _context, deps) => {
    const outcomes = await sweepPoisonQueues(deps);
    const swept = Object.entries(outcomes).filter(([, o]) => o.recorded + o.failed > 0);
    if (swept.length > 0) deps.log.warn('poison queues swept', { queues: Object.fromEntries(swept) });
  },
});
