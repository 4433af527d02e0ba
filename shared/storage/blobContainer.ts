import type { ContainerClient } from '@azure/storage-blob';
import { blobServiceClient, type StorageConnection } from './connection';

export interface LazyContainer {
  readonly name: string;
  /** The container client, after the container has been created (once per instance). */
  client(): Promise<ContainerClient>;
}

/** A blob container that is created on first use. */
export function lazyContainer(connection: StorageConnection, name: string): LazyContainer {
  const container = blobServiceClient(connection).getContainerClient(name);
  let created: Promise<ContainerClient> | undefined;
  return {
    name,
    client() {
      created ??= container.createIfNotExists().then(
        () => container,
        (error: unknown) => {
          created = undefined;
          throw error;
        },
      );
      return created;
    },
  };
}
