// Azurite (queues, tables, blobs) in this process, in memory, on free loopback ports. Used by the tests, the
// benchmarks and `npm start`. Azurite's package main is its VS Code extension, so its servers are loaded by path.
import type { AddressInfo } from 'node:net';

const QueueServer = require('azurite/dist/src/queue/QueueServer').default;
const QueueConfiguration = require('azurite/dist/src/queue/QueueConfiguration').default;
const TableServer = require('azurite/dist/src/table/TableServer').default;
const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
const BlobServer = require('azurite/dist/src/blob/BlobServer').default;
const BlobConfiguration = require('azurite/dist/src/blob/BlobConfiguration').default;

export const DEV_ACCOUNT = 'devstoreaccount1';
/** Azurite's well-known development key: public, documented, and accepted by nothing but Azurite. */
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

export interface LocalStorage {
  readonly connectionString: string;
  readonly queueUrl: string;
  readonly tableUrl: string;
  readonly blobUrl: string;
  stop(): Promise<void>;
}

export interface LocalStorageOptions {
  host?: string;
  /** Fixed ports for `npm start` (0 = any free port). */
  ports?: { queue?: number; table?: number; blob?: number };
}

// Azurite 3.35's configurations take positional arguments. All three end alike: loose=false,
// skipApiVersionCheck=true, cert, key, pwd, oauth, disableProductStyleUrl=false, inMemory=true.
const IN_MEMORY_TAIL = [false, true, '', '', '', undefined, false, true] as const;
// Queue and blob: host, port, keepAlive, metadata DB, extent DB, persistence paths, access log, its stream, debug log, its path.
const queueOrBlobArgs = (host: string, port: number) =>
  [
    host,
    port,
    undefined,
    undefined,
    undefined,
    undefined,
    false,
    undefined,
    false,
    undefined,
    ...IN_MEMORY_TAIL,
  ] as const;
// Table: host, port, keepAlive, metadata DB, debug log, access log, its stream, debug log path.
const tableArgs = (host: string, port: number) =>
  [host, port, undefined, undefined, false, false, undefined, undefined, ...IN_MEMORY_TAIL] as const;

export async function startLocalStorage(options: LocalStorageOptions = {}): Promise<LocalStorage> {
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? {};
  const queue: AzuriteServer = new QueueServer(new QueueConfiguration(...queueOrBlobArgs(host, ports.queue ?? 0)));
  const table: AzuriteServer = new TableServer(new TableConfiguration(...tableArgs(host, ports.table ?? 0)));
  const blob: AzuriteServer = new BlobServer(new BlobConfiguration(...queueOrBlobArgs(host, ports.blob ?? 0)));
  const servers = [queue, table, blob];
  await Promise.all(servers.map((s) => s.start()));
  const url = (server: AzuriteServer) =>
    `http://${server.getHttpServerAddress().replace(/^https?:\/\//, '')}/${DEV_ACCOUNT}`;
  const queueUrl = url(queue);
  const tableUrl = url(table);
  const blobUrl = url(blob);
  let stopping: Promise<void> | undefined;
  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_ACCOUNT_KEY}`,
    `QueueEndpoint=${queueUrl}`,
    `TableEndpoint=${tableUrl}`,
    `BlobEndpoint=${blobUrl}`,
  ].join(';');
  return {
    connectionString,
    queueUrl,
    tableUrl,
    blobUrl,
    stop() {
      // Idempotent: a second stop (two signals, or a caller's cleanup after a failed start) is the first one.
      stopping ??= (async () => {
        await Promise.all(servers.map((s) => s.close()));
        await Promise.all(servers.map((s) => s.clean()));
      })();
      return stopping;
    },
  };
}

export type { AddressInfo };
