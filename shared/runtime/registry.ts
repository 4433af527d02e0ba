import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import { flowOfFunction, runInFlow } from './flow';

export type AuthLevel = 'anonymous' | 'function' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpFunction<D = unknown> {
  readonly kind: 'http';
  readonly name: string;
  /** Route under /api, e.g. `halo/webhook`. */
  readonly route: string;
  readonly methods: readonly HttpMethod[];
  readonly authLevel: AuthLevel;
  readonly handler: (request: HttpRequest, context: InvocationContext, deps: D) => Promise<HttpResponseInit>;
}

export interface TimerFunction<D = unknown> {
  readonly kind: 'timer';
  readonly name: string;
  /** Six-field NCRONTAB, or `%SETTING%` to read it from an app setting, as the Functions host does. */
  readonly schedule: string;
  readonly runOnStartup?: boolean;
  readonly handler: (timer: Timer, context: InvocationContext, deps: D) => Promise<void>;
}

export type QueueHandler<D = unknown> = (message: unknown, context: InvocationContext, deps: D) => Promise<void>;

export interface QueueFunction<D = unknown> {
  readonly kind: 'queue';
  readonly name: string;
  readonly queueName: string;
  /** The message as the host decodes it (parsed JSON when it is JSON). */
  readonly handler: QueueHandler<D>;
}

export type FunctionDefinition<D = unknown> = HttpFunction<D> | TimerFunction<D> | QueueFunction<D>;

/** Every invocation runs in its function's flow (what it costs, e.g. Halo requests, is attributed to it). */
function inFlow<A extends unknown[], R>(name: string, handler: (...args: A) => Promise<R>) {
  const flow = flowOfFunction(name);
  return (...args: A): Promise<R> => runInFlow(flow, () => handler(...args));
}

/**
 * The functions of one app, each registered with the Functions host (`app.http`, `app.timer`, `app.storageQueue`)
 * and kept for the local runner. Generic over the dependencies the handlers get, so this layer knows nothing of
 * what the app builds: the app creates its registry with a provider of its dependencies (shared/app/functions.ts).
 */
export interface FunctionRegistry<D> {
  defineHttp(definition: Omit<HttpFunction<D>, 'kind'>): HttpFunction<D>;
  defineTimer(definition: Omit<TimerFunction<D>, 'kind'>): TimerFunction<D>;
  defineQueue(definition: Omit<QueueFunction<D>, 'kind'>): QueueFunction<D>;
  /** Every function defined so far, in order (function files define theirs when imported). */
  functions(): readonly FunctionDefinition<D>[];
}

/**
 * `dependencies` is called on each invocation by the real host (the local runner passes its own instead), so that
 * importing a function file never builds clients or reads settings; the provider caches what it builds.
 */
export function createRegistry<D>(dependencies: () => Promise<D>): FunctionRegistry<D> {
  const definitions: FunctionDefinition<D>[] = [];
  return {
    defineHttp(definition) {
      const fn: HttpFunction<D> = { kind: 'http', ...definition, handler: inFlow(definition.name, definition.handler) };
      definitions.push(fn);
      app.http(fn.name, {
        route: fn.route,
        methods: [...fn.methods],
        authLevel: fn.authLevel,
        handler: async (request, context) => fn.handler(request, context, await dependencies()),
      });
      return fn;
    },
    defineTimer(definition) {
      const fn: TimerFunction<D> = {
        kind: 'timer',
        ...definition,
        handler: inFlow(definition.name, definition.handler),
      };
      definitions.push(fn);
      app.timer(fn.name, {
        schedule: fn.schedule,
        runOnStartup: fn.runOnStartup ?? false,
        handler: async (timer, context) => fn.handler(timer, context, await dependencies()),
      });
      return fn;
    },
    defineQueue(definition) {
      const fn: QueueFunction<D> = {
        kind: 'queue',
        ...definition,
        handler: inFlow(definition.name, definition.handler),
      };
      definitions.push(fn);
      app.storageQueue(fn.name, {
        queueName: fn.queueName,
        connection: 'AzureWebJobsStorage',
        handler: async (message, context) => fn.handler(message, context, await dependencies()),
      });
      return fn;
    },
    functions: () => definitions,
  };
}
