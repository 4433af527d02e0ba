import type { TerminalEffect } from './engine';

/** A fault's answer as bytes on the wire. */
export interface RenderedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

export interface RenderDefaults {
  /** The simulator's own error style. */
  readonly style: 'halo' | 'graph';
  /** Halo's 429 message for its configured window. */
  readonly haloRateLimitMessage?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export const HALO_RATE_LIMIT_DEFAULT = 'Rate Limit Reached - 300 Requests per rolling 5 minute window';

/**
 * Halo's 429: a JSON body holding its message, and no Retry-After (no source shows Halo sending one, halo-api.md §3;
 * the body's exact JSON shape is an assumption named in the README).
 */
export function haloRateLimitAnswer(message: string): RenderedAnswer {
  return { status: 429, headers: { 'content-type': JSON_TYPE }, payload: JSON.stringify(message) };
}

/** A load balancer's 502/504 page: HTML, not the service's JSON. */
export function gatewayAnswer(status: 502 | 504): RenderedAnswer {
  const title = status === 502 ? '502 Bad Gateway' : '504 Gateway Time-out';
  return {
    status,
    headers: { 'content-type': 'text/html' },
    payload: `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>`,
  };
}

/** The answer of a `status` effect, in Halo's or Graph's error style. */
export function renderStatus(effect: Extract<TerminalEffect, { kind: 'status' }>, defaults: RenderDefaults) {
  const headers: Record<string, string> = {};
  if (effect.retryAfter !== undefined) headers['retry-after'] = String(effect.retryAfter);
  if (effect.body !== undefined) {
    const text = typeof effect.body === 'string';
    headers['content-type'] = text ? 'text/plain; charset=utf-8' : JSON_TYPE;
    return answer(effect.status, headers, text ? (effect.body as string) : JSON.stringify(effect.body));
  }
  const style = effect.style ?? defaults.style;
  if (style === 'halo') {
    if (effect.status === 429) {
      const limited = haloRateLimitAnswer(effect.message ?? defaults.haloRateLimitMessage ?? HALO_RATE_LIMIT_DEFAULT);
      return answer(429, { ...limited.headers, ...headers }, limited.payload);
    }
    headers['content-type'] = JSON_TYPE;
    return answer(
      effect.status,
      headers,
      JSON.stringify({ ClassName: 'System.Exception', Message: effect.message ?? 'Simulated fault' }),
    );
  }
  const code = effect.code ?? graphCode(effect.status);
  headers['content-type'] = JSON_TYPE;
  return answer(
    effect.status,
    headers,
    JSON.stringify({
      error: {
        code,
        message: effect.message ?? `Simulated ${effect.status} ${code}.`,
        innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() },
      },
    }),
  );
}

function answer(status: number, headers: Record<string, string>, payload: string): RenderedAnswer {
  return { status, headers, payload };
}

export function graphCode(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 503) return 'ServiceUnavailable';
  if (status === 504) return 'GatewayTimeout';
  if (status === 403) return 'Authorization_RequestDenied';
  return 'InternalServerError';
}
