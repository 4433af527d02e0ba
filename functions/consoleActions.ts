import { defineHttp } from '../shared/app/functions';
import { resetDelta, resetDeltaBodySchema } from '../shared/console/actions/resetDelta';
import { startSync, startSyncBodySchema } from '../shared/console/actions/startSync';
import { serveConsoleAction } from '../shared/console/http';

// The console's actions: POSTs with a JSON body, for principals holding the operate role, from the console itself
// (the x-halo-bridge-console header). Each is logged with who did it.

/** `POST /api/console/actions/syncs/{kind}/start` `{mode?, tenantId?}`: starts a sync run (plan or apply). */
export const consoleSyncStart = defineHttp({
  name: 'consoleSyncStart',
  route: 'console/actions/syncs/{kind}/start',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleAction(request, app, {
      body: startSyncBodySchema,
      run: (_request, deps, body) => startSync(deps, request.params.kind ?? '', body),
    }),
});

/** `POST /api/console/actions/syncs/entra/reset` `{tenantId, how}`: resets an Entra ID connection's delta. */
export const consoleEntraReset = defineHttp({
  name: 'consoleEntraReset',
  route: 'console/actions/syncs/entra/reset',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleAction(request, app, {
      body: resetDeltaBodySchema,
      run: (_request, deps, body) => resetDelta(deps, body),
    }),
});
