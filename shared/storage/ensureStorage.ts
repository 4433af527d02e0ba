import { lazyContainer } from './blobContainer';
import type { StorageConnection } from './connection';
import { BLOB_CONTAINERS, jobsQueueName, QUEUES } from './names';
import { rawQueue } from './rawQueue';
import { ensureTables } from './tables/ensureTables';

/**
 * Creates every table, blob container and queue (each with its -poison twin) the app uses, including the jobs
 * queue of each worker group. Idempotent; for the local stack and first start (infra/ creates them in Azure).
 */
export async function ensureStorage(
  connection: StorageConnection,
  workerGroups: readonly string[] = [],
): Promise<void> {
  const queues = [...Object.values(QUEUES), ...workerGroups.map(jobsQueueName)];
  await Promise.all([
    ensureTables(connection),
    ...Object.values(BLOB_CONTAINERS).map((name) => lazyContainer(connection, name).client()),
    ...queues.map((name) => rawQueue(connection, name).ensure()),
  ]);
}
