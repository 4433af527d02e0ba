import type { QueueClient } from '@azure/storage-queue';
import { queueServiceClient, type StorageConnection } from './connection';
import { poisonQueueName } from './names';

export interface SendOptions {
  /** Delay before the message becomes visible (0 to 7 days). */
  readonly visibilityTimeoutSeconds?: number;
  /** Time to live; -1 for never expiring. The service default is 7 days. */
  readonly messageTtlSeconds?: number;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly popReceipt: string;
  /** The message text as stored (base64 for our messages); see hostValueOfQueueText / typedQueue.decode. */
  readonly text: string;
  readonly dequeueCount: number;
  readonly insertedOn: Date;
  readonly expiresOn: Date;
  readonly nextVisibleOn: Date;
}

/** The low-level queue the local runner and the hybrid worker use: lease (receive), renew, delete, send raw text. */
export interface RawQueue {
  readonly name: string;
  readonly client: QueueClient;
  /** Creates the queue and its -poison twin if they do not exist. */
  ensure(): Promise<void>;
  sendText(text: string, options?: SendOptions): Promise<{ messageId: string; popReceipt: string }>;
  /** Leases up to maxMessages (1-32) for visibilityTimeoutSeconds (default 30). */
  receive(options?: { maxMessages?: number; visibilityTimeoutSeconds?: number }): Promise<ReceivedMessage[]>;
  /** Extends (or shortens) a lease. Returns the new pop receipt, which later calls on the message need. */
  updateVisibility(messageId: string, popReceipt: string, visibilityTimeoutSeconds: number): Promise<string>;
  delete(messageId: string, popReceipt: string): Promise<void>;
  /** Approximate number of messages (visible or not), as the service reports it. */
  peekCount(): Promise<number>;
  clear(): Promise<void>;
}

export function rawQueue(connection: StorageConnection, name: string): RawQueue {
  const service = queueServiceClient(connection);
  const client = service.getQueueClient(name);
  return {
    name,
    client,
    async ensure() {
      await client.createIfNotExists();
      await service.getQueueClient(poisonQueueName(name)).createIfNotExists();
    },
    async sendText(text, options = {}) {
      const sent = await client.sendMessage(text, {
        visibilityTimeout: options.visibilityTimeoutSeconds,
        messageTimeToLive: options.messageTtlSeconds,
      });
      return { messageId: sent.messageId, popReceipt: sent.popReceipt };
    },
    async receive(options = {}) {
      const response = await client.receiveMessages({
        numberOfMessages: options.maxMessages ?? 1,
        visibilityTimeout: options.visibilityTimeoutSeconds ?? 30,
      });
      return response.receivedMessageItems.map((item) => ({
        messageId: item.messageId,
        popReceipt: item.popReceipt,
        text: item.messageText,
        dequeueCount: item.dequeueCount,
        insertedOn: item.insertedOn,
        expiresOn: item.expiresOn,
        nextVisibleOn: item.nextVisibleOn,
      }));
    },
    async updateVisibility(messageId, popReceipt, visibilityTimeoutSeconds) {
      const updated = await client.updateMessage(messageId, popReceipt, undefined, visibilityTimeoutSeconds);
      if (!updated.popReceipt) throw new Error(`queue '${name}': the service returned no pop receipt for ${messageId}`);
      return updated.popReceipt;
    },
    async delete(messageId, popReceipt) {
      await client.deleteMessage(messageId, popReceipt);
    },
    async peekCount() {
      return (await client.getProperties()).approximateMessagesCount ?? 0;
    },
    async clear() {
      await client.clearMessages();
    },
  };
}
