import type { ClientSecretCredentialOptions } from '@azure/identity';

type AdditionalPolicy = NonNullable<ClientSecretCredentialOptions['additionalPolicies']>[number];
type PipelinePolicy = AdditionalPolicy['policy'];

/** A failed answer of the token endpoint, as it came over the wire. */
export interface TokenEndpointFailure {
  readonly status: number;
  /** When it was received (ms). */
  readonly at: number;
  readonly retryAfterSeconds?: number;
  /** Entra's `error` (e.g. `temporarily_unavailable`), when the body was Entra's JSON. */
  readonly error?: string;
  /** Entra's `error_description` (with its AADSTS code), or the start of a body that was not JSON. */
  readonly description?: string;
}

/**
 * Watches one credential's token-endpoint answers from inside its HTTP pipeline. MSAL (under @azure/identity)
 * blocks a tenant's token requests after a 429 or 5xx for Retry-After, or 60 seconds without one, and meanwhile
 * throws errors that carry neither the status nor the reason ("Error(s): Not Available"). What the endpoint really
 * answered is kept here, so that the failure can be explained and the block waited out.
 */
export class TokenEndpointWatch {
  private last: TokenEndpointFailure | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  readonly policy: AdditionalPolicy = { position: 'perRetry', policy: this.makePolicy() };

  /** The last failure received at or after `since` (ms), if any. */
  failureSince(since: number): TokenEndpointFailure | undefined {
    return this.last && this.last.at >= since ? this.last : undefined;
  }

  private makePolicy(): PipelinePolicy {
    return {
      name: 'halo-bridge-token-endpoint-watch',
      sendRequest: async (request, next) => {
        const response = await next(request);
        if (response.status >= 400) this.last = describe(response.status, response, this.now());
        return response;
      },
    };
  }
}

function describe(
  status: number,
  response: { headers: { get(name: string): string | undefined }; bodyAsText?: string | null },
  at: number,
): TokenEndpointFailure {
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), at);
  const text = response.bodyAsText ?? '';
  let error: string | undefined;
  let description: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.error_description === 'string') description = body.error_description;
  } catch {
    const plain = text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (plain) description = plain.slice(0, 200);
  }
  return {
    status,
    at,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    ...(error ? { error } : {}),
    ...(description ? { description } : {}),
  };
}

function retryAfterSeconds(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
