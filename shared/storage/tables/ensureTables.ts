import { type StorageConnection, tableServiceClient } from '../connection';
import { TABLES } from '../names';

/** Creates every state table (idempotent). Run once at startup, or by the local stack. */
export async function ensureTables(connection: StorageConnection): Promise<void> {
  const service = tableServiceClient(connection);
  await Promise.all(Object.values(TABLES).map((name) => service.createTable(name)));
}
