import { defineHttp } from '../shared/app/functions';
import { dismissBodySchema, dismissFailure, replayBodySchema, replayFailure } from '../shared/console/actions/failures';
import { resetDelta, resetDeltaBodySchema } from '../shared/console/actions/resetDelta';
import { startSync, startSyncBodySchema } from '../shared/console/actions/startSync';
import { consoleDepsOf } from '../shared/console/deps';
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

/** `POST /api/console/actions/failures/{queue}/{id}/replay`: sends a failed message back to its queue, once. */
export const consoleFailureReplay = defineHttp({
  name: 'consoleFailureReplay',
  route: 'console/actions/failures/{queue}/{id}/replay',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleAction(request, app, {
      body: replayBodySchema,
      run: (_request, deps) => replayFailure(consoleDepsOf(deps), request.params.queue ?? '', request.params.id ?? ''),
    }),
});

/** `POST /api/console/actions/failures/{queue}/{id}/dismiss` `{note?}`: marks a failure as dealt with. */
export const consoleFailureDismiss = defineHttp({
  name: 'consoleFailureDismiss',
  route: 'console/actions/failures/{queue}/{id}/dismiss',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleAction(request, app, {
      body: dismissBodySchema,
      run: (_request, deps, body) =>
        dismissFailure(consoleDepsOf(deps), request.params.queue ?? '', request.params.id ?? '', body.note),
    }),
});
