import { defineHttp, registeredFunctions } from '../shared/runtime/registry';

/** `GET /api/health`: the app is up, and which functions it has. */
export const health = defineHttp({
  name: 'health',
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({
    status: 200,
    jsonBody: { status: 'ok', functions: registeredFunctions().map((fn) => fn.name) },
  }),
});
