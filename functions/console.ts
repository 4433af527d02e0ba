import { defineHttp, registeredFunctions } from '../shared/app/functions';
import { budgetPage } from '../shared/console/html/pages/budget';
import { failuresPage } from '../shared/console/html/pages/failures';
import { mailPage } from '../shared/console/html/pages/mail';
import { overviewPage } from '../shared/console/html/pages/overview';
import { jobPage, scriptsPage } from '../shared/console/html/pages/scripts';
import { runPage, syncsPage } from '../shared/console/html/pages/syncs';
import { queryOf, serveConsoleRead } from '../shared/console/http';
import { budgetView } from '../shared/console/views/budget';
import { failuresQuerySchema, failuresView, UnknownQueueError } from '../shared/console/views/failures';
import { jobDetail, jobsQuerySchema, jobsView } from '../shared/console/views/jobs';
import { mailQuerySchema, mailView, UnknownMailboxError } from '../shared/console/views/mail';
import { overviewView } from '../shared/console/views/overview';
import { runDetail, runsQuerySchema, runsView, UnknownSyncError } from '../shared/console/views/syncs';

// The operator console's pages and JSON: the same URL answers HTML to a browser and JSON to anything else (or as
// `?format=json|html` says). Anonymous at the host level on purpose: what opens them is a principal App Service
// Authentication put on the request, holding a console app role (shared/console/access.ts), never a function key.

const timers = () =>
  registeredFunctions().flatMap((fn) => (fn.kind === 'timer' ? [{ name: fn.name, schedule: fn.schedule }] : []));

/** `GET /api/console`: every flow's health, tenants, workers, subscriptions, the config in force. */
export const consoleOverview = defineHttp({
  name: 'consoleOverview',
  route: 'console',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: async (_request, state) => ({ ok: true, data: await overviewView(state, timers()) }),
      page: overviewPage,
    }),
});

/** `GET /api/console/mail?mailbox&q&from&ticket&outcome&since&until&after&limit`: scan state and mail fates. */
export const consoleMail = defineHttp({
  name: 'consoleMail',
  route: 'console/mail',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) => {
    const query = queryOf(request, mailQuerySchema);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => {
        if (!query.ok) return query;
        try {
          return { ok: true, data: await mailView(state, query.value) };
        } catch (error) {
          if (error instanceof UnknownMailboxError) return { ok: false, status: 404, error: error.message };
          throw error;
        }
      },
      page: (view, context) => mailPage(view, query.ok ? query.value : { limit: 50 }, context),
    });
  },
});

/** `GET /api/console/scripts?status&script&ticket&worker&after&limit`: jobs, their output and Halo writes. */
export const consoleScripts = defineHttp({
  name: 'consoleScripts',
  route: 'console/scripts',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) => {
    const query = queryOf(request, jobsQuerySchema);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => (query.ok ? { ok: true, data: await jobsView(state, query.value) } : query),
      page: (view, context) => scriptsPage(view, query.ok ? query.value : { limit: 25 }, context),
    });
  },
});

/** `GET /api/console/scripts/{jobId}`: one job with its whole output (secrets masked). */
export const consoleJob = defineHttp({
  name: 'consoleJob',
  route: 'console/scripts/{jobId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: async (_request, state) => {
        const job = await jobDetail(state, request.params.jobId ?? '');
        return job ? { ok: true, data: job } : { ok: false, status: 404, error: `no job ${request.params.jobId}` };
      },
      page: jobPage,
    }),
});

/** `GET /api/console/syncs?kind&limit`: the syncs, their schedules and their newest runs. */
export const consoleSyncs = defineHttp({
  name: 'consoleSyncs',
  route: 'console/syncs',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) => {
    const query = queryOf(request, runsQuerySchema);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => {
        if (!query.ok) return query;
        try {
          return { ok: true, data: await runsView(state, query.value) };
        } catch (error) {
          if (error instanceof UnknownSyncError) return { ok: false, status: 404, error: error.message };
          throw error;
        }
      },
      page: syncsPage,
    });
  },
});

/** `GET /api/console/syncs/{kind}/{runId}`: a run's plan per tenant, each change with its reason, its reports. */
export const consoleRun = defineHttp({
  name: 'consoleRun',
  route: 'console/syncs/{kind}/{runId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: async (_request, state) => {
        const { kind = '', runId = '' } = request.params;
        const run = await runDetail(state, kind, runId);
        return run ? { ok: true, data: run } : { ok: false, status: 404, error: `no ${kind} run ${runId}` };
      },
      page: runPage,
    }),
});

/** `GET /api/console/failures?queue&limit`: the messages the queues gave up on, with why and a masked preview. */
export const consoleFailures = defineHttp({
  name: 'consoleFailures',
  route: 'console/failures',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) => {
    const query = queryOf(request, failuresQuerySchema);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => {
        if (!query.ok) return query;
        try {
          return { ok: true, data: await failuresView(state, query.value) };
        } catch (error) {
          if (error instanceof UnknownQueueError) return { ok: false, status: 404, error: error.message };
          throw error;
        }
      },
      page: (view, context) => failuresPage(view, query.ok ? query.value : { limit: 100 }, context),
    });
  },
});

/**
 * `GET /api/console/budget`: Halo requests per budget window by flow over 24 hours, against the budget, with the
 * 429s. The shared Halo budget (issue 9) records the history; until it is wired in, the page says it is not enabled.
 */
export const consoleBudget = defineHttp({
  name: 'consoleBudget',
  route: 'console/budget',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: async (_request, state) => ({ ok: true, data: await budgetView(undefined, state.now()) }),
      page: budgetPage,
    }),
});

/** `GET /api/console/me`: who the console thinks you are, and what you may do. */
export const consoleMe = defineHttp({
  name: 'consoleMe',
  route: 'console/me',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: async (_request, _deps, principal) => ({ ok: true, data: principal }),
    }),
});
