// A Key Vault secrets fake for tests and the local stack: HTTPS on loopback with the dev certificate, the bearer
// challenge SecretClient expects, get (latest or by version) and set, 404 SecretNotFound, and request counters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { loadDevTls } from '../tls';
import { type SecretVersion, SecretVersions } from './secretVersions';

export interface KeyVaultSimulatorOptions {
  readonly secrets?: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly tenantId?: string;
}

export interface KeyVaultCounters {
  readonly requests: number;
  /** 401 challenges sent to requests without a bearer token. */
  readonly challenges: number;
  readonly gets: number;
  readonly sets: number;
  readonly notFound: number;
  /** Successful and failed GETs per secret name (lower case). */
  readonly getsByName: Readonly<Record<string, number>>;
}

export interface KeyVaultSimulator {
  /** The vault URL to give SecretClient (with `disableChallengeResourceVerification: true`). */
  readonly url: string;
  stop(): Promise<void>;
  setSecret(name: string, value: string): void;
  counters(): KeyVaultCounters;
}

const setBodySchema = z.object({ value: z.string(), contentType: z.string().optional() });
const SECRET_PATH = /^\/secrets\/([0-9a-zA-Z-]{1,127})\/?([0-9a-f]{32})?\/?$/;

export async function startKeyVaultSimulator(options: KeyVaultSimulatorOptions = {}): Promise<KeyVaultSimulator> {
  const store = new SecretVersions();
  for (const [name, value] of Object.entries(options.secrets ?? {})) store.set(name, value);
  const tenant = options.tenantId ?? '00000000-0000-4000-8000-000000000000';
  const counts = { requests: 0, challenges: 0, gets: 0, sets: 0, notFound: 0 };
  const getsByName: Record<string, number> = {};
  let baseUrl = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    counts.requests++;
    const body = await readBody(request);
    if (!/^Bearer\s+\S+/i.test(request.headers.authorization ?? '')) {
      counts.challenges++;
      response.writeHead(401, {
        'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="https://vault.azure.net"`,
        'Content-Length': '0',
      });
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', baseUrl);
    const match = SECRET_PATH.exec(url.pathname);
    if (!url.searchParams.get('api-version'))
      return sendError(response, 400, 'BadParameter', 'api-version is required');
    if (!match) return sendError(response, 404, 'NotFound', 'no such operation');
    const name = match[1] as string;
    const version = match[2];
    if (request.method === 'GET') {
      counts.gets++;
      getsByName[name.toLowerCase()] = (getsByName[name.toLowerCase()] ?? 0) + 1;
      const found = store.get(name, version);
      if (!found) {
        counts.notFound++;
        const what = version ? `A secret with (name/id) ${name}/${version}` : `A secret with (name/id) ${name}`;
        return sendError(response, 404, 'SecretNotFound', `${what} was not found in this key vault.`);
      }
      return sendJson(response, 200, bundle(baseUrl, name, found));
    }
    if (request.method === 'PUT' && !version) {
      let parsed: z.infer<typeof setBodySchema>;
      try {
        parsed = setBodySchema.parse(JSON.parse(body || 'null'));
      } catch {
        return sendError(response, 400, 'BadParameter', 'the body must be {"value": "<string>"}');
      }
      counts.sets++;
      return sendJson(response, 200, bundle(baseUrl, name, store.set(name, parsed.value, parsed.contentType)));
    }
    return sendError(response, 405, 'MethodNotAllowed', `${request.method} is not supported here`);
  };

  const tls = loadDevTls();
  const server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendError(response, 500, 'InternalError', 'simulator failure');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    setSecret(name, value) {
      store.set(name, value);
    },
    counters: () => ({ ...counts, getsByName: { ...getsByName } }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function bundle(baseUrl: string, name: string, version: SecretVersion) {
  return {
    value: version.value,
    id: `${baseUrl}/secrets/${name}/${version.version}`,
    contentType: version.contentType,
    attributes: {
      enabled: true,
      created: version.createdAt,
      updated: version.createdAt,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message } });
}
