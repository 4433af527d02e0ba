import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Timer } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import type { Logger } from '../../shared/runtime/logger';
import { redact } from '../../shared/runtime/redact';
import type { FunctionDefinition, HttpFunction, QueueFunction, TimerFunction } from '../../shared/runtime/registry';
import { poisonQueueName } from '../../shared/storage/names';
import { type EasyAuth, stripIdentityHeaders } from './easyAuth';
import type { HostJson } from './hostJson';
import type { HostKeys } from './httpAuth';
import { buildRoutes, dispatch, readIncoming, writeResponse, writeStatus } from './httpServer';
import {
  createInvocationContext,
  describeError,
  type FunctionStats,
  type InvocationListener,
  type InvocationRecord,
  InvocationTracker,
  isConfigurationError,
  type TriggerKind,
} from './invocations';
import { QueueListener } from './queueListener';
import { messageValue } from './queueMessage';
import { compileSchedule, resolveSchedule } from './schedule';
import { realTimers, type TimerApi, TimerSchedule } from './timerScheduler';

export interface LocalRunnerOptions<D = unknown> {
  readonly functions: readonly FunctionDefinition<D>[];
  /** Handed to every handler as `deps`; the runner never looks inside. */
  readonly container: D;
  /** Runs before every invocation, as the real host's composition root does (e.g. revalidate the config blob). */
  readonly beforeInvocation?: () => Promise<void>;
  readonly storageConnectionString: string;
  readonly hostJson: HostJson;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly hostname?: string;
  readonly keys: HostKeys;
  /** App settings, for `%NAME%` schedules. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly log: Logger;
  /** Clock and timer functions for timer triggers (tests inject their own). */
  readonly clock?: () => Date;
  readonly timers?: TimerApi;
  /**
   * How long a queue message stays invisible while its handler runs, renewed as it goes (default 600 s, as the
   * host). When the runner dies, its messages come back after this: tests that kill it use a few seconds.
   */
  readonly messageLeaseSeconds?: number;
  /** How long stop() waits for running handlers (default 10 s). */
  readonly stopTimeoutMs?: number;
  /**
   * App Service Authentication in front of the HTTP routes (the local sign-in, dev/runner/easyAuth.ts). Without
   * it, identity headers are still removed from incoming requests, as App Service would.
   */
  readonly easyAuth?: EasyAuth;
}

export interface DrainOptions {
  /** How long everything must stay idle before drain returns (default 100 ms). */
  readonly idleMs?: number;
  /** Give up (and reject) after this long (default 60 s). */
  readonly timeoutMs?: number;
}

export interface LocalRunner {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:7071` (routes are under `/api`). */
  readonly url: string;
  stop(): Promise<void>;
  /** Runs a timer function now, whatever its schedule; resolves when it has finished. */
  runTimer(name: string): Promise<InvocationRecord>;
  /** Processes queue messages until every watched queue is empty and nothing runs; returns what ran meanwhile. */
  drain(options?: DrainOptions): Promise<InvocationRecord[]>;
  stats(): Record<string, FunctionStats>;
  /** Each timer function's resolved NCRONTAB expression and next planned occurrence (ISO 8601). */
  timerSchedules(): Record<string, { expression: string; next: string | undefined }>;
  /** Calls `listener` after each invocation; returns a function that unsubscribes. */
  onInvocation(listener: InvocationListener): () => void;
}

const DRAIN_CHECK_MS = 20;

export async function startLocalRunner<D>(options: LocalRunnerOptions<D>): Promise<LocalRunner> {
  assertUniqueNames(options.functions);
  const log = options.log;
  const clock = options.clock ?? (() => new Date());
  const secrets = [options.keys.functionKey, options.keys.masterKey];
  const tracker = new InvocationTracker(
    options.functions.map((fn) => fn.name),
    log,
  );

  const http = options.functions.filter((fn): fn is HttpFunction<D> => fn.kind === 'http');
  const timers = options.functions.filter((fn): fn is TimerFunction<D> => fn.kind === 'timer');
  const queues = options.functions.filter((fn): fn is QueueFunction<D> => fn.kind === 'queue');

  // Resolve every schedule before anything starts, so that a bad one fails the start like the host's indexing.
  const schedules = new Map(
    timers.map((fn) => [fn.name, compileSchedule(resolveSchedule(fn.schedule, options.settings ?? {}))] as const),
  );

  /** Runs one handler, recording the outcome; never throws. */
  async function invoke(
    name: string,
    trigger: TriggerKind,
    run: (context: ReturnType<typeof createInvocationContext>) => Promise<void>,
    triggerMetadata?: Record<string, unknown>,
  ): Promise<{ record: Omit<InvocationRecord, 'poisoned'>; error?: unknown }> {
    const context = createInvocationContext({ functionName: name, trigger, log, triggerMetadata });
    const started = performance.now();
    try {
      await options.beforeInvocation?.();
      await run(context);
      return {
        record: {
          functionName: name,
          trigger,
          invocationId: context.invocationId,
          outcome: 'success',
          durationMs: performance.now() - started,
        },
      };
    } catch (error) {
      const message = describeError(error, secrets);
      // A missing secret or a bad setting is said completely by its message; a stack would only bury it.
      const stack =
        error instanceof Error && error.stack && !isConfigurationError(error)
          ? redact(error.stack, secrets)
          : undefined;
      log.error('function failed', {
        function: name,
        invocationId: context.invocationId,
        error: message,
        ...(stack ? { stack } : {}),
      });
      return {
        error,
        record: {
          functionName: name,
          trigger,
          invocationId: context.invocationId,
          outcome: 'failure',
          error: message,
          durationMs: performance.now() - started,
        },
      };
    }
  }

  // HTTP
  const routes = buildRoutes(http, options.hostJson.extensions.http.routePrefix);
  const server = createServer((req, res) => {
    void (async () => {
      let incoming: Awaited<ReturnType<typeof readIncoming>>;
      try {
        incoming = await readIncoming(req, baseUrl);
      } catch {
        writeStatus(res, 413);
        return;
      }
      if (options.easyAuth?.handle(incoming, res)) return;
      incoming.headers = options.easyAuth
        ? options.easyAuth.headersFor(incoming.headers)
        : stripIdentityHeaders(incoming.headers);
      const match = dispatch(routes, options.keys, incoming);
      if (match.kind === 'not-found') return writeStatus(res, 404);
      if (match.kind === 'unauthorized') return writeStatus(res, 401);
      tracker.begin();
      let record: InvocationRecord | undefined;
      try {
        let result: Awaited<ReturnType<HttpFunction<D>['handler']>> | undefined;
        const outcome = await invoke(match.fn.name, 'http', async (context) => {
          result = await match.fn.handler(match.request, context, options.container);
        });
        record = outcome.record;
        if (outcome.error !== undefined || record.outcome === 'failure') writeStatus(res, 500, 'Internal Server Error');
        else await writeResponse(res, result);
      } catch (error) {
        log.error('could not write the HTTP response', {
          function: match.fn.name,
          error: describeError(error, secrets),
        });
        writeStatus(res, 500, 'Internal Server Error');
      } finally {
        tracker.end(record);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;

  // Timers
  async function fireTimer(fn: TimerFunction<D>, timer: Timer): Promise<InvocationRecord> {
    tracker.begin();
    const { record } = await invoke(fn.name, 'timer', (context) => fn.handler(timer, context, options.container));
    tracker.end(record);
    return record;
  }
  const timerSchedules = new Map(
    timers.map((fn) => [
      fn.name,
      {
        fn,
        schedule: new TimerSchedule(
          schedules.get(fn.name)!,
          async (timer) => {
            await fireTimer(fn, timer);
          },
          clock,
          options.timers ?? realTimers,
        ),
      },
    ]),
  );

  // Queues
  const service = QueueServiceClient.fromConnectionString(options.storageConnectionString);
  const settings = options.hostJson.extensions.queues;
  type QueueResult = { ok: boolean; record: Omit<InvocationRecord, 'poisoned'> };
  const listeners: QueueListener<QueueResult>[] = [];
  try {
    for (const fn of queues) {
      const queue = service.getQueueClient(fn.queueName);
      await queue.createIfNotExists();
      listeners.push(
        new QueueListener({
          functionName: fn.name,
          queue,
          poisonQueue: service.getQueueClient(poisonQueueName(fn.queueName)),
          settings,
          log,
          ...(options.messageLeaseSeconds ? { leaseSeconds: options.messageLeaseSeconds } : {}),
          invoke: async (text, metadata) => {
            const { record } = await invoke(
              fn.name,
              'queue',
              (context) => fn.handler(messageValue(text), context, options.container),
              metadata,
            );
            return { ok: record.outcome === 'success', record };
          },
          undecodable: (message, error) => {
            log.error('queue message could not be decoded; moved to the poison queue', {
              function: fn.name,
              messageId: message.messageId,
              error: describeError(error, secrets),
            });
          },
          onStart: () => tracker.begin(),
          onDone: (message, result, disposition) => {
            if (!result) {
              if (disposition === 'poisoned') tracker.poisonedWithoutInvocation(fn.name);
              tracker.end(undefined);
              return;
            }
            tracker.end({ ...result.record, messageId: message.messageId, poisoned: disposition === 'poisoned' });
          },
        }),
      );
    }
  } catch (error) {
    server.close();
    throw error;
  }

  for (const listener of listeners) listener.start();
  for (const { schedule } of timerSchedules.values()) schedule.start();
  for (const { fn, schedule } of timerSchedules.values()) {
    if (fn.runOnStartup) void fireTimer(fn, schedule.manualTimer());
  }
  log.info('local functions runner started', {
    url: baseUrl,
    http: http.map((fn) => `${fn.methods.join(',') || '*'} /${routes.find((r) => r.fn === fn)?.route.template}`),
    timers: timers.map((fn) => `${fn.name} ${schedules.get(fn.name)!.expression}`),
    queues: queues.map((fn) => `${fn.name} <- ${fn.queueName}`),
  });

  let stopping: Promise<void> | undefined;
  return {
    url: baseUrl,
    stop() {
      stopping ??= (async () => {
        for (const { schedule } of timerSchedules.values()) schedule.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.all(listeners.map((listener) => listener.stop()));
        const idle = await tracker.whenIdle(options.stopTimeoutMs ?? 10_000);
        if (!idle) log.warn('local functions runner stopped with handlers still running', { running: tracker.running });
        server.closeAllConnections();
        await closed;
        log.info('local functions runner stopped');
      })();
      return stopping;
    },
    async runTimer(name) {
      const entry = timerSchedules.get(name);
      if (!entry) throw new Error(`no timer function named ${name}`);
      return fireTimer(entry.fn, entry.schedule.manualTimer());
    },
    async drain(drainOptions = {}) {
      const idleMs = drainOptions.idleMs ?? 100;
      const timeoutMs = drainOptions.timeoutMs ?? 60_000;
      const ran: InvocationRecord[] = [];
      const unsubscribe = tracker.onInvocation((record) => ran.push(record));
      const slowDown = listeners.map((listener) => listener.fastPolling());
      const watched = queues.map((fn) => service.getQueueClient(fn.queueName));
      const started = Date.now();
      try {
        let idleSince: number | undefined;
        for (;;) {
          const waiting = await messagesWaiting(watched);
          const busy = tracker.running > 0 || waiting.length > 0;
          const now = Date.now();
          if (busy) idleSince = undefined;
          else {
            idleSince ??= now;
            if (now - idleSince >= idleMs) return ran;
          }
          if (now - started > timeoutMs) {
            throw new Error(
              `drain gave up after ${timeoutMs} ms: ${tracker.running} running, messages waiting in ${waiting.join(', ') || 'no queue'}`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(DRAIN_CHECK_MS, idleMs)));
        }
      } finally {
        for (const slow of slowDown) slow();
        unsubscribe();
      }
    },
    stats: () => tracker.stats(),
    timerSchedules: () =>
      Object.fromEntries(
        [...timerSchedules].map(([name, { schedule }]) => [
          name,
          { expression: schedules.get(name)!.expression, next: schedule.nextOccurrence()?.toISOString() },
        ]),
      ),
    onInvocation: (listener) => tracker.onInvocation(listener),
  };
}

async function messagesWaiting(queues: readonly ReturnType<QueueServiceClient['getQueueClient']>[]): Promise<string[]> {
  const counts = await Promise.all(
    queues.map(async (queue) => ((await queue.getProperties()).approximateMessagesCount ?? 0) > 0),
  );
  return queues.filter((_, i) => counts[i]).map((queue) => queue.name);
}

function assertUniqueNames(functions: readonly { readonly name: string }[]): void {
  const seen = new Set<string>();
  for (const fn of functions) {
    const key = fn.name.toLowerCase();
    if (seen.has(key)) throw new Error(`two functions are named ${fn.name} (names must be unique, case-insensitively)`);
    seen.add(key);
  }
}
