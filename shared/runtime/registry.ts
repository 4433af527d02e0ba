import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import { rootContainer } from '../app/compositionRoot';
import type { Container } from '../app/container';
import { poisonQueueName } from '../storage/names';
import { flowOfFunction, runInFlow } from './flow';

export type AuthLevel = 'anonymous' | 'function' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpFunction {
  readonly kind: 'http';
  readonly name: string;
  /** Route under /api, e.g. `halo/webhook`. */
  readonly route: string;
  readonly methods: readonly HttpMethod[];
  readonly authLevel: AuthLevel;
  readonly handler: (request: HttpRequest, context: InvocationContext, deps: Container) => Promise<HttpResponseInit>;
}

export interface TimerFunction {
  readonly kind: 'timer';
  readonly name: string;
  /** Six-field NCRONTAB, or `%SETTING%` to read it from an app setting, as the Functions host does. */
  readonly schedule: string;
  readonly runOnStartup?: boolean;
  readonly handler: (timer: Timer, context: InvocationContext, deps: Container) => Promise<void>;
}

export type QueueHandler = (message: unknown, context: InvocationContext, deps: Container) => Promise<void>;

export interface QueueFunction {
  readonly kind: 'queue';
  readonly name: string;
  readonly queueName: string;
  /** The message as the host decodes it (parsed JSON when it is JSON). Validate it with the queue's schema. */
  readonly handler: QueueHandler;
  /**
   * Runs once for each message the host gave up on (moved to `<queueName>-poison` after maxDequeueCount failed
   * attempts). Registered as its own function `<name>Poison`; see shared/runtime/poison.ts for what it gets.
   */
  readonly poisonHandler?: QueueHandler;
}

export type FunctionDefinition = HttpFunction | TimerFunction | QueueFunction;

const definitions: FunctionDefinition[] = [];

/** Every function defined so far (functions/*.ts define theirs when imported). */
export function registeredFunctions(): readonly FunctionDefinition[] {
  return definitions;
}

type ContainerProvider = () => Promise<Container>;
let provider: ContainerProvider = rootContainer;

/** The composition root installs itself here; the real host's handlers get their dependencies through it. */
export function setContainerProvider(next: ContainerProvider): void {
  provider = next;
}

/** Built on first invocation, so that importing a function file never builds clients or reads settings. */
function container(): Promise<Container> {
  return provider();
}

/** Every invocation runs in its function's flow (what it costs, e.g. Halo requests, is attributed to it). */
function inFlow<A extends unknown[], R>(name: string, handler: (...args: A) => Promise<R>) {
  const flow = flowOfFunction(name);
  return (...args: A): Promise<R> => runInFlow(flow, () => handler(...args));
}

export function defineHttp(definition: Omit<HttpFunction, 'kind'>): HttpFunction {
  const fn: HttpFunction = { kind: 'http', ...definition, handler: inFlow(definition.name, definition.handler) };
  definitions.push(fn);
  app.http(fn.name, {
    route: fn.route,
    methods: [...fn.methods],
    authLevel: fn.authLevel,
    handler: async (request, context) => fn.handler(request, context, await container()),
  });
  return fn;
}

export function defineTimer(definition: Omit<TimerFunction, 'kind'>): TimerFunction {
  const fn: TimerFunction = { kind: 'timer', ...definition, handler: inFlow(definition.name, definition.handler) };
  definitions.push(fn);
  app.timer(fn.name, {
    schedule: fn.schedule,
    runOnStartup: fn.runOnStartup ?? false,
    handler: async (timer, context) => fn.handler(timer, context, await container()),
  });
  return fn;
}

/**
 * A queue trigger on `queueName`. With a `poisonHandler`, a second function `<name>Poison` is defined on
 * `<queueName>-poison` (the queue the host moves a message to after maxDequeueCount failed attempts).
 */
export function defineQueue(definition: Omit<QueueFunction, 'kind'>): QueueFunction {
  const fn: QueueFunction = { kind: 'queue', ...definition };
  registerQueue(fn);
  if (fn.poisonHandler) {
    registerQueue({
      kind: 'queue',
      name: poisonFunctionName(fn.name),
      queueName: poisonQueueName(fn.queueName),
      handler: fn.poisonHandler,
    });
  }
  return fn;
}

export function poisonFunctionName(functionName: string): string {
  return `${functionName}Poison`;
}

function registerQueue(definition: QueueFunction): void {
  const fn: QueueFunction = { ...definition, handler: inFlow(definition.name, definition.handler) };
  definitions.push(fn);
  app.storageQueue(fn.name, {
    queueName: fn.queueName,
    connection: 'AzureWebJobsStorage',
    handler: async (message, context) => fn.handler(message, context, await container()),
  });
}
