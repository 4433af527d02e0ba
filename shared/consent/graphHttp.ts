// A small Microsoft Graph caller for the consent and check commands: one bearer token, JSON in and out, Graph's error
// code and message kept. (The app's own Graph client is built for app-only tokens per tenant, with paging, batching and
// throttling; these commands make a handful of calls per tenant.)
export class GraphCallError extends Error {
  override readonly name = 'GraphCallError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export interface GraphHttp {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body: unknown): Promise<T>;
}

export function graphHttp(baseUrl: string, token: () => Promise<string>): GraphHttp {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/v1.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) {
      const error = (json.error ?? {}) as { code?: string; message?: string };
      throw new GraphCallError(response.status, error.code ?? 'Unknown', error.message ?? text.slice(0, 200));
    }
    return json as T;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
