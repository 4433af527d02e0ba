import { QueueServiceClient } from '@azure/storage-queue';
import { jobsQueueName, QUEUES } from '../shared/storage/names';
import type { WorkerConfig } from './config';

export interface LeasedMessage {
  readonly messageId: string;
  readonly popReceipt: string;
  readonly messageText: string;
  readonly dequeueCount: number;
}

/** The two queues a worker touches: it takes jobs from `jobs-<group>` and puts results on `job-results`. */
export interface WorkerQueues {
  receive(max: number, leaseSeconds: number): Promise<LeasedMessage[]>;
  /** Keeps the message invisible for another `leaseSeconds`; returns the new pop receipt. */
  extendLease(messageId: string, popReceipt: string, leaseSeconds: number): Promise<string>;
  delete(messageId: string, popReceipt: string): Promise<void>;
  sendResult(messageText: string): Promise<void>;
  /** Proves the credential can read the jobs queue (used by `worker check`). */
  peekJobs(): Promise<number>;
}

export function createWorkerQueues(queue: WorkerConfig['queue'], workerGroup: string): WorkerQueues {
  const service =
    'connectionString' in queue
      ? QueueServiceClient.fromConnectionString(queue.connectionString)
      : new QueueServiceClient(`${queue.serviceUrl.replace(/\/$/, '')}?${queue.sasToken.replace(/^\?/, '')}`);
  const jobs = service.getQueueClient(jobsQueueName(workerGroup));
  const results = service.getQueueClient(QUEUES.jobResults);
  return {
    async receive(max, leaseSeconds) {
      const response = await jobs.receiveMessages({ numberOfMessages: max, visibilityTimeout: leaseSeconds });
      return response.receivedMessageItems.map((item) => ({
        messageId: item.messageId,
        popReceipt: item.popReceipt,
        messageText: item.messageText,
        dequeueCount: item.dequeueCount,
      }));
    },
    async extendLease(messageId, popReceipt, leaseSeconds) {
      const response = await jobs.updateMessage(messageId, popReceipt, undefined, leaseSeconds);
      if (!response.popReceipt) throw new Error('the queue returned no pop receipt');
      return response.popReceipt;
    },
    async delete(messageId, popReceipt) {
      await jobs.deleteMessage(messageId, popReceipt);
    },
    async sendResult(messageText) {
      await results.sendMessage(messageText);
    },
    async peekJobs() {
      const response = await jobs.peekMessages({ numberOfMessages: 1 });
      return response.peekedMessageItems.length;
    },
  };
}
