// The integration config as a blob: one current document, and every earlier one kept under history/ before it is
// replaced (on Azure, blob versioning keeps them as well). Reads are conditional on the ETag, so checking for a change
// costs one small request and no download.
import type { ContainerClient } from '@azure/storage-blob';
import { statusOf } from './errors';

export interface ConfigDocument {
  readonly text: string;
  readonly etag: string;
  readonly lastModified: string;
}

export interface ConfigVersion {
  readonly name: string;
  readonly savedAt: string;
  readonly bytes: number;
}

export interface ConfigDocumentStore {
  /** Where the document lives, for messages (`<account or endpoint>/<container>/<blob>`). */
  readonly location: string;
  /** The document; `unchanged` when its ETag is still `ifNoneMatch`; undefined when there is none. */
  read(ifNoneMatch?: string): Promise<ConfigDocument | 'unchanged' | undefined>;
  /**
   * Replaces the document, first copying the current one to history/. Refuses (ConfigConflictError) when the
   * document changed since `expectedEtag` was read, so two operators cannot overwrite each other unseen.
   */
  write(text: string, expectedEtag: string | undefined): Promise<{ etag: string; previous?: string }>;
  /** Earlier documents, newest first. */
  history(limit?: number): Promise<ConfigVersion[]>;
  readVersion(name: string): Promise<string | undefined>;
}

export class ConfigConflictError extends Error {
  override readonly name = 'ConfigConflictError';
}

const HISTORY_PREFIX = 'history/';

/** `config/integration.json` → container `config`, blob `integration.json`. */
export function parseBlobLocation(value: string): { container: string; blob: string } | undefined {
  const match = /^([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9]))\/(.+)$/.exec(value.trim());
  return match ? { container: match[1]!, blob: match[2]! } : undefined;
}

export function configDocumentStore(container: ContainerClient, blobName: string): ConfigDocumentStore {
  const blob = container.getBlockBlobClient(blobName);
  const stem = blobName.replace(/\.json$/, '');
  const upload = (client: typeof blob, text: string, conditions: { ifMatch?: string; ifNoneMatch?: string }) =>
    client.upload(text, Buffer.byteLength(text), {
      conditions,
      blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
    });

  const store: ConfigDocumentStore = {
    location: `${container.url.replace(/\/$/, '')}/${blobName}`,
    async read(ifNoneMatch) {
      try {
        const response = await blob.download(0, undefined, ifNoneMatch ? { conditions: { ifNoneMatch } } : {});
        const text = await streamText(response.readableStreamBody);
        return { text, etag: response.etag ?? '', lastModified: (response.lastModified ?? new Date()).toISOString() };
      } catch (error) {
        if (statusOf(error) === 304) return 'unchanged';
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async write(text, expectedEtag) {
      await container.createIfNotExists();
      const current = await store.read();
      if (current === 'unchanged') throw new Error('unreachable');
      if ((current?.etag ?? undefined) !== expectedEtag) {
        throw new ConfigConflictError(
          `the config at ${store.location} changed since it was read (${current ? `now ${current.lastModified}` : 'it was deleted'}); read it again and retry`,
        );
      }
      let previous: string | undefined;
      if (current) {
        previous = `${HISTORY_PREFIX}${stem}-${current.lastModified.replace(/[:.]/g, '-')}.json`;
        await upload(container.getBlockBlobClient(previous), current.text, {});
      }
      try {
        const written = await upload(blob, text, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
        return { etag: written.etag ?? '', ...(previous ? { previous } : {}) };
      } catch (error) {
        if (statusOf(error) === 412 || statusOf(error) === 409) {
          throw new ConfigConflictError(`the config at ${store.location} changed while it was being written; retry`);
        }
        throw error;
      }
    },
    async history(limit = 20) {
      const versions: ConfigVersion[] = [];
      try {
        for await (const item of container.listBlobsFlat({ prefix: `${HISTORY_PREFIX}${stem}-` })) {
          versions.push({
            name: item.name,
            savedAt: (item.properties.lastModified ?? new Date(0)).toISOString(),
            bytes: item.properties.contentLength ?? 0,
          });
        }
      } catch (error) {
        if (statusOf(error) === 404) return [];
        throw error;
      }
      return versions.sort((a, b) => b.name.localeCompare(a.name)).slice(0, limit);
    },
    async readVersion(name) {
      if (!name.startsWith(HISTORY_PREFIX)) return undefined;
      try {
        const response = await container.getBlockBlobClient(name).download();
        return await streamText(response.readableStreamBody);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
  };
  return store;
}

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
