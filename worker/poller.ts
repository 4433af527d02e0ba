import { encodeQueueMessage } from '../shared/jobs';
import type { Logger } from '../shared/runtime/logger';
import { type JobRunnerDeps, processJobMessage } from './processJob';
import type { LeasedMessage, WorkerQueues } from './workerQueues';

export interface PollerOptions {
  readonly queues: WorkerQueues;
  readonly runner: JobRunnerDeps;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly leaseSeconds: number;
  readonly busyMs: number;
  readonly idleMaxMs: number;
  /** Called after each message is fully handled (result sent, message deleted or given up). */
  readonly onHandled?: (jobMessageId: string) => void;
}

export interface Poller {
  /** Stops taking new jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/**
 * Polls `jobs-<group>`: soon again while there is work, doubling the pause up to idleMaxMs while idle. Each
 * message stays leased (invisible to other workers) until its result is on `job-results`; then it is deleted.
 */
export function startPoller(options: PollerOptions): Poller {
  const running = new Set<Promise<void>>();
  let stopping = false;
  let idleDelay = options.busyMs;
  let wake: (() => void) | undefined;
  let pause: NodeJS.Timeout | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      pause = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(pause);
      wake = undefined;
    });

  const handle = async (message: LeasedMessage) => {
    const lease = keepLeased(message, options);
    try {
      const result = await processJobMessage(message, options.runner, {
        sendNotice: (notice) => options.queues.sendResult(encodeQueueMessage(notice)),
      });
      await options.queues.sendResult(encodeQueueMessage(result));
      const popReceipt = await lease.release();
      await options.queues.delete(message.messageId, popReceipt);
    } catch (error) {
      // Left on the queue: it becomes visible again after the lease and the crash journal decides what happens.
      options.logger.error('could not complete a job message', { messageId: message.messageId, error });
      await lease.release().catch(() => undefined);
    } finally {
      options.onHandled?.(message.messageId);
    }
  };

  const loop = async () => {
    while (!stopping) {
      const free = options.concurrency - running.size;
      let received = 0;
      if (free > 0) {
        try {
          const messages = await options.queues.receive(free, options.leaseSeconds);
          received = messages.length;
          for (const message of messages) {
            const task: Promise<void> = handle(message).finally(() => {
              running.delete(task);
              idleDelay = options.busyMs;
              wake?.();
            });
            running.add(task);
          }
        } catch (error) {
          options.logger.warn('polling the jobs queue failed', { error });
        }
      }
      if (stopping) break;
      if (received > 0) idleDelay = options.busyMs;
      await sleep(free > 0 ? idleDelay : options.idleMaxMs);
      if (received === 0 && free > 0) idleDelay = Math.min(Math.max(idleDelay * 2, 100), options.idleMaxMs);
    }
  };
  const looping = loop();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await looping;
      await Promise.all([...running]);
    },
  };
}

/** Renews the message's invisibility at half the lease, until released; release returns the latest pop receipt. */
function keepLeased(message: LeasedMessage, options: PollerOptions): { release(): Promise<string> } {
  let popReceipt = message.popReceipt;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = renewing
        .then(async () => {
          popReceipt = await options.queues.extendLease(message.messageId, popReceipt, options.leaseSeconds);
        })
        .catch((error) => options.logger.warn('could not renew a job lease', { messageId: message.messageId, error }));
    },
    Math.max(250, (options.leaseSeconds * 1000) / 2),
  );
  return {
    async release() {
      clearInterval(timer);
      await renewing;
      return popReceipt;
    },
  };
}
