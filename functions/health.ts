import { defineHttp, registeredFunctions } from '../shared/app/functions';

/**
 * `GET /api/health`: the app is up, which functions it has, and whether its integration config is usable. An empty,
 * missing, unreadable or invalid config answers 503 with the problems (JSON paths for an invalid one) and the fix.
 */
export const health = defineHttp({
  name: 'health',
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (_request, _context, deps) => {
    const config = deps.configStatus();
    const healthy = config.state === 'ok' && config.problems.length === 0;
    return {
      status: healthy ? 200 : 503,
      jsonBody: {
        status: healthy ? 'ok' : 'degraded',
        functions: registeredFunctions().map((fn) => fn.name),
        config: {
          state: config.state,
          source: config.source,
          ...(config.etag ? { etag: config.etag } : {}),
          ...(config.loadedAt ? { loadedAt: config.loadedAt } : {}),
          features: config.features,
          problems: config.problems,
        },
      },
    };
  },
});
