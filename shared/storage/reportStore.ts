import { lazyContainer } from './blobContainer';
import type { StorageConnection } from './connection';
import { statusOf } from './errors';
import { BLOB_CONTAINERS } from './names';

export interface StoredReport {
  readonly path: string;
  readonly content: Buffer;
  readonly contentType: string;
}

export interface ReportListing {
  readonly path: string;
  readonly bytes: number;
  readonly contentType: string | undefined;
  readonly lastModified: Date | undefined;
}

export interface ReportStore {
  put(path: string, content: string | Buffer, contentType: string): Promise<{ path: string; bytes: number }>;
  /** undefined when there is no such report. */
  get(path: string): Promise<StoredReport | undefined>;
  /** Every report whose path starts with prefix, in path order. */
  list(prefix?: string): Promise<ReportListing[]>;
}

/** Reports (plans, CSVs, run summaries) as blobs in the `reports` container, created on first use. */
export function reportStore(connection: StorageConnection, container: string = BLOB_CONTAINERS.reports): ReportStore {
  const lazy = lazyContainer(connection, container);
  return {
    async put(path, content, contentType) {
      const blobPath = checkPath(path);
      const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const client = await lazy.client();
      await client.getBlockBlobClient(blobPath).uploadData(body, { blobHTTPHeaders: { blobContentType: contentType } });
      return { path: blobPath, bytes: body.length };
    },
    async get(path) {
      const blobPath = checkPath(path);
      const blob = (await lazy.client()).getBlockBlobClient(blobPath);
      try {
        const [content, properties] = await Promise.all([blob.downloadToBuffer(), blob.getProperties()]);
        return { path: blobPath, content, contentType: properties.contentType ?? 'application/octet-stream' };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async list(prefix = '') {
      const client = await lazy.client();
      const out: ReportListing[] = [];
      for await (const item of client.listBlobsFlat({ prefix })) {
        out.push({
          path: item.name,
          bytes: item.properties.contentLength ?? 0,
          contentType: item.properties.contentType,
          lastModified: item.properties.lastModified,
        });
      }
      return out.sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}

function checkPath(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  if (!trimmed || trimmed.length > 1024 || trimmed.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`invalid report path '${path}': use non-empty segments separated by '/', no '..'`);
  }
  return trimmed;
}
