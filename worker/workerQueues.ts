import { ClientCertificateCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { QueueServiceClient } from '@azure/storage-queue';
import { jobsQueueName, QUEUES } from '../shared/storage/names';
import type { QueueIdentity, WorkerConfig } from './config';

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
  /** Puts a signed result or a signed notice (e.g. `started`) on `job-results`. */
  sendResult(messageText: string): Promise<void>;
  /** Proves the credential can read the jobs queue (used by `worker check`). */
  peekJobs(): Promise<number>;
}

export function createWorkerQueues(queue: WorkerConfig['queue'], workerGroup: string): WorkerQueues {
  const service = queueService(queue);
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

function queueService(queue: WorkerConfig['queue']): QueueServiceClient {
  if ('connectionString' in queue) return QueueServiceClient.fromConnectionString(queue.connectionString);
  const url = queue.serviceUrl.replace(/\/$/, '');
  if ('sasToken' in queue) return new QueueServiceClient(`${url}?${queue.sasToken.replace(/^\?/, '')}`);
  return new QueueServiceClient(url, queueCredential(queue.identity));
}

/** The Entra credential for `queue.identity`; an Azure Arc-enabled server's managed identity is a managed identity. */
export function queueCredential(identity: QueueIdentity): TokenCredential {
  if (identity.kind === 'managedIdentity') {
    return identity.clientId
      ? new ManagedIdentityCredential({ clientId: identity.clientId })
      : new ManagedIdentityCredential();
  }
  return new ClientCertificateCredential(identity.tenantId, identity.clientId, {
    certificatePath: identity.certificatePath,
  });
}
