import { redact } from '../runtime/redact';

export type GraphAccessErrorCode =
  | 'invalidSecret'
  | 'certificateRejected'
  | 'consentMissing'
  | 'tenantNotFound'
  | 'invalidGrant'
  | 'permissionMissing'
  | 'mailboxNotFound'
  | 'subscriptionValidationFailed'
  | 'notFound'
  | 'throttled'
  | 'unavailable'
  | 'unauthorized'
  | 'badRequest'
  | 'unexpectedResponse'
  | 'deltaResyncRequired'
  | 'unknown';

/** What a failed Graph or Entra call said, reduced to plain data (see `failureOf`). */
export interface GraphFailure {
  /** HTTP status; undefined when no response was received (network, DNS, TLS). */
  readonly status?: number;
  /** Graph's `error.code` or Entra's `error` (e.g. `invalid_client`). */
  readonly code?: string;
  readonly message: string;
}

/** Where the failure happened, for the message: which tenant, which call, which permission it needs. */
export interface GraphCallContext {
  readonly tenantId: string;
  readonly clientId?: string;
  readonly operation?: string;
  /** The application permission the call needs, e.g. `Mail.ReadWrite`. */
  readonly permission?: string;
  readonly mailbox?: string;
}

export interface GraphErrorDescription {
  readonly code: GraphAccessErrorCode;
  readonly message: string;
  /** Worth retrying later (throttling, outages); configuration problems are not. */
  readonly retryable: boolean;
  /** Not before this time: a throttled token endpoint is blocked until then (retrying sooner is refused unsent). */
  readonly retryAt?: Date;
}

/** A Graph or identity failure with an actionable message. Never carries secrets or tokens. */
export class GraphAccessError extends Error {
  readonly code: GraphAccessErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly graphCode: string | undefined;
  readonly tenantId: string;
  readonly retryAt: Date | undefined;

  constructor(description: GraphErrorDescription, failure: GraphFailure, context: GraphCallContext) {
    super(description.message);
    this.name = 'GraphAccessError';
    this.code = description.code;
    this.retryable = description.retryable;
    this.status = failure.status;
    this.graphCode = failure.code;
    this.tenantId = context.tenantId;
    this.retryAt = description.retryAt;
  }
}

/**
 * What the token endpoint answered (seen by the credential's pipeline), as an explained error. A 429 or 5xx says
 * that Entra throttles or fails, until when token requests for the tenant are held (`retryAt`), and what to check
 * when it keeps happening.
 */
export function tokenEndpointFailureError(
  failure: { status: number; error?: string; description?: string; retryAfterSeconds?: number },
  context: GraphCallContext,
  retryAt?: Date,
): GraphAccessError {
  const graphFailure: GraphFailure = {
    status: failure.status,
    ...(failure.error ? { code: failure.error } : {}),
    message: failure.description ?? '',
  };
  if (retryAt && (failure.status === 429 || failure.status >= 500)) {
    const aadsts = AADSTS.exec(failure.description ?? '')?.[0];
    const what =
      failure.status === 429 ? 'throttled the token requests' : `failed the token requests (HTTP ${failure.status})`;
    const hhmm = retryAt.toISOString().slice(11, 16);
    const header =
      failure.retryAfterSeconds !== undefined ? `Retry-After ${failure.retryAfterSeconds} s` : 'no Retry-After';
    const lead = failure.status === 429 ? 'Throttled by Entra' : 'Entra unavailable';
    const message =
      `${lead}, retrying at ${hhmm} UTC: Entra ID ${what} of ${context.clientId ? `app ${context.clientId}` : 'the app'} ` +
      `for tenant ${context.tenantId} (HTTP ${failure.status}${aadsts ? `, ${aadsts}` : ''}, ${header}); no token is requested for ` +
      `this tenant before ${retryAt.toISOString()}. Nothing to fix if it passes; if it keeps happening, check that ` +
      'only one installation uses this app registration and that nothing else requests tokens for it in a loop.';
    const code = failure.status === 429 ? 'throttled' : 'unavailable';
    return new GraphAccessError({ code, message, retryable: true, retryAt }, graphFailure, context);
  }
  return new GraphAccessError(describeGraphFailure(graphFailure, context), graphFailure, context);
}

const AADSTS = /AADSTS(\d+)/;

/**
 * Maps a failure to an error code and a message that says what to fix. Pure: the rules for every Entra and Graph
 * error we know of live here.
 */
export function describeGraphFailure(failure: GraphFailure, context: GraphCallContext): GraphErrorDescription {
  const aadsts = AADSTS.exec(failure.message)?.[1];
  const code = failure.code ?? '';
  const where = `tenant ${context.tenantId}`;
  const app = context.clientId ? `app ${context.clientId}` : 'the app';
  const call = context.operation ? ` (${context.operation})` : '';
  const detail = firstLine(failure.message).trim();
  const said = detail ? ` Graph said: ${detail}` : '';
  const consentUrl = `https://login.microsoftonline.com/${context.tenantId}/adminconsent${context.clientId ? `?client_id=${context.clientId}` : ''}`;

  if (aadsts === '7000215') {
    return fail(
      'invalidSecret',
      `The client secret of ${app} was rejected by ${where} (AADSTS7000215). Use the secret's Value (shown once when it is created), not its Secret ID, and check that it has not expired.`,
    );
  }
  if (aadsts === '700027' || aadsts === '700024' || aadsts === '700021' || aadsts === '7000274') {
    return fail(
      'certificateRejected',
      `The certificate credential of ${app} was rejected by ${where} (AADSTS${aadsts}). Upload the certificate's public part to the app registration and check the system clock.`,
    );
  }
  if (aadsts === '700016' || aadsts === '7000229' || code === 'Authorization_IdentityNotFound') {
    return fail(
      'consentMissing',
      `${capitalise(app)} is not consented in ${where} (${aadsts ? `AADSTS${aadsts}` : code}). An administrator of that tenant must grant admin consent (${consentUrl}); for a GDAP customer, consent it through Partner Center. After consent, allow a few minutes before retrying.`,
    );
  }
  if (aadsts === '90002') {
    return fail(
      'tenantNotFound',
      `Tenant ${context.tenantId} does not exist (AADSTS90002). Check the tenant id in the configuration.`,
    );
  }
  if (code === 'invalid_grant' || aadsts === '9002313') {
    return fail(
      'invalidGrant',
      `The token request for ${where} was rejected as invalid (${aadsts ? `AADSTS${aadsts}` : code}). Check the client id, the credential and the authority host.${said}`,
    );
  }
  if (code === 'MailboxNotEnabledForRESTAPI' || code === 'ErrorInvalidUser' || code === 'MailboxNotFound') {
    const mailbox = context.mailbox ? `Mailbox ${context.mailbox}` : 'The mailbox';
    return fail(
      'mailboxNotFound',
      `${mailbox} was not found or is not enabled in Exchange Online in ${where} (${code}). Check the address; a shared mailbox must exist in Exchange Online and the app needs the application permission ${context.permission ?? 'Mail.ReadWrite'} with access to it.`,
    );
  }
  if (
    code === 'Authorization_RequestDenied' ||
    code === 'ErrorAccessDenied' ||
    code === 'AccessDenied' ||
    failure.status === 403
  ) {
    const permission = context.permission
      ? `the application permission ${context.permission}`
      : 'an application permission';
    return fail(
      'permissionMissing',
      `${capitalise(app)} lacks ${permission} in ${where}${call} (${code || '403'}). Add it to the app registration and grant admin consent in that tenant.`,
    );
  }
  if (code === 'ValidationError' || (failure.status === 400 && /validation request failed/i.test(failure.message))) {
    return fail(
      'subscriptionValidationFailed',
      `Graph could not validate the notification URL${call}: it must be reachable over HTTPS and answer the validationToken request with 200, text/plain and the token within 10 seconds.${said}`,
    );
  }
  if (failure.status === 429) {
    return retry(
      'throttled',
      `Graph throttled the request in ${where}${call} (429).${said} It is retried after the time Graph asks for; if it keeps happening, fewer scans or syncs at once will help.`,
    );
  }
  if (failure.status === undefined || failure.status === -1 || failure.status >= 500) {
    const what = failure.status && failure.status > 0 ? `HTTP ${failure.status}` : 'no answer: network, DNS or TLS';
    return retry(
      'unavailable',
      `Graph or Entra was unavailable for ${where}${call} (${what}${code ? `, ${code}` : ''}).${said} It is retried automatically; if it lasts, check the Microsoft 365 service health and this host's outbound network.`,
    );
  }
  if (failure.status === 401) {
    return fail(
      'unauthorized',
      `Graph refused the access token for ${where}${call} (${code || '401'}).${said} Check that ${app} is consented in that tenant and that the authority and Graph URLs belong to the same cloud.`,
    );
  }
  if (failure.status === 404) {
    return fail('notFound', `Not found in ${where}${call} (${code || '404'}).${said || ' Graph gave no reason.'}`);
  }
  if (failure.status === 400) {
    return fail(
      'badRequest',
      `Graph rejected the request in ${where}${call} (${code || '400'}).${said || ' Graph gave no reason.'} This is a bug in the bridge or an unsupported setting: report it with this message.`,
    );
  }
  return fail(
    'unknown',
    `Graph call failed in ${where}${call} (${failure.status ?? 'no response'}${code ? ` ${code}` : ''}).${said || ' Graph gave no reason.'}`,
  );
}

/** Reads status, code and message from a GraphError, an identity AuthenticationError or any thrown value. */
export function failureOf(error: unknown): GraphFailure {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as Record<string, unknown>;
  const response = e.errorResponse as { error?: string; errorDescription?: string } | undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (response?.error) {
    return { status, code: response.error, message: response.errorDescription ?? String(e.message ?? '') };
  }
  const message = String(e.message ?? '');
  const code = typeof e.code === 'string' ? e.code : undefined;
  // The Graph client wraps errors thrown before a response (auth provider, network) with status -1.
  return { status: status === -1 ? undefined : status, code, message };
}

export function toGraphAccessError(
  error: unknown,
  context: GraphCallContext,
  secrets: readonly string[] = [],
): GraphAccessError {
  if (error instanceof GraphAccessError) return error;
  const raw = failureOf(error);
  const failure = { ...raw, message: redact(raw.message, secrets) };
  return new GraphAccessError(describeGraphFailure(failure, context), failure, context);
}

function fail(code: GraphAccessErrorCode, message: string): GraphErrorDescription {
  return { code, message, retryable: false };
}

function retry(code: GraphAccessErrorCode, message: string): GraphErrorDescription {
  return { code, message, retryable: true };
}

function firstLine(text: string): string {
  // @azure/identity's message for an answer it could not parse carries nothing (`[object Object]: Error(s): Not
  // Available - Timestamp: Not Available …`): say nothing rather than that.
  if (/Error\(s\): Not Available/.test(text)) return '';
  const line = text.split(/\r?\n/)[0] ?? '';
  const withoutTrace = line.replace(/\s*Trace ID:.*$/, '');
  return withoutTrace.length > 300 ? `${withoutTrace.slice(0, 300)}…` : withoutTrace;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
