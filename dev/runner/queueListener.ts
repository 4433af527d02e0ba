import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from '../../shared/runtime/logger';
import type { QueueSettings } from './hostJson';
import { decodeMessageText, queueTriggerMetadata, type ReceivedMessage } from './queueMessage';

/** How long a received message stays invisible while its handler runs (the host uses 10 minutes too). */
export const LEASE_SECONDS = 600;
/** The shortest poll interval; an idle listener doubles it up to maxPollingInterval, a message resets it. */
export const MIN_POLL_MS = 100;
const DRAIN_POLL_MS = 10;

export type Disposition = 'deleted' | 'retry' | 'poisoned' | 'released';

export interface QueueListenerOptions<R extends InvokeResult> {
  readonly functionName: string;
  readonly queue: QueueClient;
  readonly poisonQueue: QueueClient;
  readonly settings: QueueSettings;
  readonly log: Logger;
  /**
   * How long a received message stays invisible (default LEASE_SECONDS), renewed at half of it while its handler
   * runs, as the host does. A crashed runner's messages come back after this; tests that kill the runner shorten it.
   */
  readonly leaseSeconds?: number;
  /** Runs the handler for one message (text already decoded); never throws. */
  readonly invoke: (text: string, metadata: Record<string, unknown>) => Promise<R>;
  /** Told about a message that cannot be decoded (it goes to the poison queue at once, the handler never sees it). */
  readonly undecodable: (message: ReceivedMessage, error: unknown) => void;
  /** Called before and after each message is handled; `result` is undefined when the handler did not run. */
  readonly onStart: () => void;
  readonly onDone: (message: ReceivedMessage, result: R | undefined, disposition: Disposition) => void;
}

export interface InvokeResult {
  readonly ok: boolean;
}

/**
 * Polls one queue for one function like the host's queue listener: batches of batchSize, a new batch when the
 * messages in flight drop to newBatchThreshold, retries after visibilityTimeout, poison after maxDequeueCount (or at
 * once for a message that cannot be decoded).
 */
export class QueueListener<R extends InvokeResult> {
  private stopped = false;
  private fast = 0;
  private inFlight = 0;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private poisonQueueReady: Promise<unknown> | undefined;

  constructor(private readonly options: QueueListenerOptions<R>) {}

  private get leaseSeconds(): number {
    return this.options.leaseSeconds ?? LEASE_SECONDS;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops polling; messages already handed to handlers finish on their own. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** Poll now, and keep polling fast until `slow()` (used by drain). */
  fastPolling(): () => void {
    this.fast++;
    this.wake();
    return () => {
      this.fast--;
    };
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const { settings, queue, log } = this.options;
    let idleDelay = MIN_POLL_MS;
    while (!this.stopped) {
      if (this.inFlight > settings.newBatchThreshold) {
        await this.sleep(settings.maxPollingInterval); // woken when a message finishes
        continue;
      }
      let batch: ReceivedMessage[] = [];
      try {
        const response = await queue.receiveMessages({
          numberOfMessages: settings.batchSize,
          visibilityTimeout: this.leaseSeconds,
        });
        batch = response.receivedMessageItems;
      } catch (error) {
        if (!this.stopped) log.warn('queue poll failed', { queue: queue.name, error });
      }
      if (this.stopped) {
        await Promise.all(batch.map((message) => this.release(message)));
        break;
      }
      if (batch.length > 0) {
        idleDelay = MIN_POLL_MS;
        for (const message of batch) void this.handle(message);
        continue;
      }
      if (this.fast > 0) {
        await this.sleep(DRAIN_POLL_MS);
        continue;
      }
      await this.sleep(idleDelay);
      idleDelay = Math.min(idleDelay * 2, settings.maxPollingInterval);
    }
  }

  private async handle(received: ReceivedMessage): Promise<void> {
    const { settings } = this.options;
    const options = this.options;
    this.inFlight++;
    options.onStart();
    let result: R | undefined;
    let disposition: Disposition = 'retry';
    const lease = this.keepLeased(received);
    let message = received;
    try {
      if (message.dequeueCount > settings.maxDequeueCount) {
        // Came back after a crash between the last failed attempt and the move: poison without another try.
        await this.moveToPoison(message);
        disposition = 'poisoned';
        return;
      }
      const decoded = this.decode(message);
      if (!decoded.ok) {
        // Like the host (Storage extension 5.x): retrying cannot make it decodable, so it is poisoned at once,
        // and the function is not invoked.
        await this.moveToPoison(message);
        disposition = 'poisoned';
        return;
      }
      result = await options.invoke(decoded.text, { ...queueTriggerMetadata(message, decoded.text) });
      message = await lease.release();
      if (result.ok) {
        await options.queue.deleteMessage(message.messageId, message.popReceipt);
        disposition = 'deleted';
      } else if (message.dequeueCount >= settings.maxDequeueCount) {
        await this.moveToPoison(message);
        disposition = 'poisoned';
      } else {
        await options.queue.updateMessage(
          message.messageId,
          message.popReceipt,
          undefined,
          Math.ceil(settings.visibilityTimeout / 1000),
        );
        disposition = 'retry';
      }
    } catch (error) {
      // Storage failed after the handler ran: the lease expires and the message comes back (at least once).
      options.log.warn('queue message disposition failed', {
        queue: options.queue.name,
        messageId: message.messageId,
        error,
      });
    } finally {
      await lease.release();
      this.inFlight--;
      options.onDone(message, result, disposition);
      this.wake();
    }
  }

  /** Renews the message's invisibility at half the lease until released; release gives the latest pop receipt. */
  private keepLeased(message: ReceivedMessage): { release(): Promise<ReceivedMessage> } {
    const { queue, log } = this.options;
    let current = message;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewing
          .then(async () => {
            const renewed = await queue.updateMessage(
              current.messageId,
              current.popReceipt,
              undefined,
              this.leaseSeconds,
            );
            current = { ...current, popReceipt: renewed.popReceipt ?? current.popReceipt };
          })
          .catch((error) => log.warn('could not renew a queue message lease', { queue: queue.name, error }));
      },
      (this.leaseSeconds * 1000) / 2,
    );
    return {
      async release() {
        clearInterval(timer);
        await renewing;
        return current;
      },
    };
  }

  private decode(message: ReceivedMessage): { ok: true; text: string } | { ok: false } {
    try {
      return { ok: true, text: decodeMessageText(message.messageText, this.options.settings.messageEncoding) };
    } catch (error) {
      this.options.undecodable(message, error);
      return { ok: false };
    }
  }

  private async moveToPoison(message: ReceivedMessage): Promise<void> {
    const { poisonQueue, queue, log } = this.options;
    this.poisonQueueReady ??= poisonQueue.createIfNotExists();
    await this.poisonQueueReady;
    await poisonQueue.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, message.popReceipt);
    log.warn('queue message moved to poison queue', {
      function: this.options.functionName,
      queue: queue.name,
      poisonQueue: poisonQueue.name,
      messageId: message.messageId,
      dequeueCount: message.dequeueCount,
    });
  }

  private async release(message: ReceivedMessage): Promise<void> {
    try {
      await this.options.queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);
    } catch {
      // the lease runs out on its own
    }
  }
}
