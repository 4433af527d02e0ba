import { redact } from '../runtime/redact';

const MAX_MESSAGE_LENGTH = 500;

/**
 * Halo's message from an error body, whatever its shape: `{resultCode, errorMessage}`, .NET `{ClassName, Message}`,
 * `{Message}`, OAuth `{error, error_description}`, `{message}`, or a plain (possibly JSON-quoted) string.
 */
export function extractHaloMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return shorten(trimmed);
    }
  }
  if (typeof value === 'string') return value.trim() ? shorten(value.trim()) : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['errorMessage', 'Message', 'message', 'error_description', 'error', 'title']) {
    const candidate = record[key];
    if (typeof candidate === 'string' && candidate.trim() !== '') return shorten(candidate.trim());
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/** A Halo API call that failed for good: after retries, or at once for a 4xx that retrying cannot fix. */
export class HaloApiError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly haloMessage: string | undefined;
  readonly attempts: number;

  constructor(options: {
    status: number;
    method: string;
    path: string;
    haloMessage?: string;
    attempts: number;
    secrets?: readonly string[];
    cause?: unknown;
  }) {
    const secrets = options.secrets ?? [];
    const path = redact(options.path, secrets);
    const haloMessage = options.haloMessage === undefined ? undefined : redact(options.haloMessage, secrets);
    const what = options.status === 0 ? 'could not reach Halo' : `failed with HTTP ${options.status}`;
    super(
      `Halo ${options.method} ${path} ${what}${haloMessage ? `: ${haloMessage}` : ''} (after ${options.attempts} attempt${options.attempts === 1 ? '' : 's'})`,
    );
    this.name = 'HaloApiError';
    this.status = options.status;
    this.method = options.method;
    this.path = path;
    this.haloMessage = haloMessage;
    this.attempts = options.attempts;
  }

  /** True for a network failure (no HTTP answer). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/**
 * A write whose outcome is unknown: it may have been performed (Halo's answer was lost to a dropped connection, a
 * timeout or a 5xx). It was not re-sent: the caller must look the record up before writing again (`createOnce`).
 */
export class HaloOutcomeUnknownError extends HaloApiError {
  readonly outcomeUnknown = true;

  constructor(options: ConstructorParameters<typeof HaloApiError>[0] & { detail?: string }) {
    super(options);
    this.name = 'HaloOutcomeUnknownError';
    this.message = `${this.message}; Halo may have performed it${options.detail ? ` (${options.detail})` : ''}`;
  }
}

/** An ad-hoc report whose SQL Halo refused; `loadError` is Halo's `report.load_error`. */
export class HaloReportError extends Error {
  constructor(readonly loadError: string) {
    super(`Halo report failed to load: ${loadError}`);
    this.name = 'HaloReportError';
  }
}

/** A Halo answer that does not have the shape we rely on; `problems` name the JSON paths. */
export class HaloResponseError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`Halo ${path} returned an unexpected shape:\n  - ${problems.join('\n  - ')}`);
    this.name = 'HaloResponseError';
  }
}
