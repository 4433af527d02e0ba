import { defineHttp, registeredFunctions } from '../shared/app/functions';
import { budgetPage } from '../shared/console/html/pages/budget';
import { failuresPage } from '../shared/console/html/pages/failures';
import { mailPage } from '../shared/console/html/pages/mail';
import { overviewPage } from '../shared/console/html/pages/overview';
import { jobPage, scriptsPage } from '../shared/console/html/pages/scripts';
import { runPage, syncsPage } from '../shared/console/html/pages/syncs';
import { queryOf, serveConsoleRead } from '../shared/console/http';
import { consoleReads, timersOf } from '../shared/console/reads';

// The operator console's pages and JSON: the same URL answers HTML to a browser and JSON to anything else (or as
// `?format=json|html` says). Anonymous at the host level on purpose: what opens them is a principal App Service
// Authentication put on the request, holding a console app role (shared/console/access.ts), never a function key.

/** `GET /api/console`: every flow's health, tenants, workers, subscriptions, the config in force. */
export const consoleOverview = defineHttp({
  name: 'consoleOverview',
  route: 'console',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: (_request, state) => consoleReads.overview(state, timersOf(registeredFunctions())),
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
    const query = queryOf(request, consoleReads.mail.query);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => (query.ok ? consoleReads.mail.run(state, query.value) : query),
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
    const query = queryOf(request, consoleReads.jobs.query);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => (query.ok ? consoleReads.jobs.run(state, query.value) : query),
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
      load: (_request, state) => consoleReads.job(state, request.params.jobId ?? ''),
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
    const query = queryOf(request, consoleReads.runs.query);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => (query.ok ? consoleReads.runs.run(state, query.value) : query),
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
      load: (_request, state) => consoleReads.run(state, request.params.kind ?? '', request.params.runId ?? ''),
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
    const query = queryOf(request, consoleReads.failures.query);
    return serveConsoleRead(request, app, {
      load: async (_request, state) => (query.ok ? consoleReads.failures.run(state, query.value) : query),
      page: (view, context) => failuresPage(view, query.ok ? query.value : { limit: 100 }, context),
    });
  },
});

/**
 * `GET /api/console/budget`: Halo requests per budget window by flow over 24 hours, against the budget, with the
 * 429s, from the shared Halo budget's history (shared/halo/budget/history.ts).
 */
export const consoleBudget = defineHttp({
  name: 'consoleBudget',
  route: 'console/budget',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request, _context, app) =>
    serveConsoleRead(request, app, {
      load: (_request, state) => consoleReads.budget(state),
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
