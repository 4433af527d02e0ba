import { redact } from '../runtime/redact';

export interface ErrorLike {
  status?: number;
  code?: string;
  message?: string;
}

export type MailErrorKind =
  | 'tokenRefresh'
  | 'secretIdNotValue'
  | 'secretExpired'
  | 'appNotInTenant'
  | 'missingPermission'
  | 'mailboxUnreachable'
  | 'throttled'
  | 'deltaExpired'
  | 'transient'
  | 'unknown';

export interface MailErrorExplanation {
  kind: MailErrorKind;
  /** What went wrong and what to do, in a sentence or two for an administrator. */
  message: string;
  /** Whether trying again later may succeed without anyone changing anything. */
  retryable: boolean;
}

export interface MailErrorContext {
  /** What we were doing: reading/moving mail needs Mail.ReadWrite, sending replies Mail.Send. */
  operation?: 'read' | 'move' | 'send' | 'subscribe';
  mailbox?: string;
}

/** Turns the Graph and Entra ID errors people actually hit into an actionable message (secrets masked). */
export function explainMailError(error: ErrorLike, context: MailErrorContext = {}): MailErrorExplanation {
  const code = error.code ?? '';
  const raw = `${code} ${error.message ?? ''}`;
  const has = (needle: string) => raw.toLowerCase().includes(needle.toLowerCase());
  const mailbox = context.mailbox ? `mailbox ${context.mailbox}` : 'the mailbox';
  const original = redact((error.message ?? code).trim()).slice(0, 300);
  const explain = (kind: MailErrorKind, message: string, retryable = false): MailErrorExplanation => ({
    kind,
    message,
    retryable,
  });

  if (has('AADSTS7000215'))
    return explain(
      'secretIdNotValue',
      'Invalid client secret (AADSTS7000215): the configured secret is most likely the secret ID, not its value. ' +
        'In Entra ID > App registrations > Certificates & secrets copy the Value column (shown only right after ' +
        'creating it; create a new secret if it is hidden) and store that in Key Vault.',
    );
  if (has('AADSTS7000222'))
    return explain(
      'secretExpired',
      'The client secret has expired (AADSTS7000222). Create a new secret in Entra ID > App registrations > ' +
        'Certificates & secrets and store its value in Key Vault.',
    );
  if (has('AADSTS700016') || has('AADSTS65001'))
    return explain(
      'appNotInTenant',
      'The app is not registered or not consented in this tenant. An administrator of the tenant must grant admin ' +
        'consent to the app (Entra ID > Enterprise applications).',
    );
  if (has('invalid_grant') || has('AADSTS9002313'))
    return explain(
      'tokenRefresh',
      'Getting a token failed (invalid_grant / AADSTS9002313): the token request was rejected as invalid or ' +
        'expired. Check the tenant id and client id in the settings, and that consent was not revoked; a ' +
        'delegated sign-in must be done again.',
    );
  if (error.status === 429 || has('ApplicationThrottled') || has('MailboxConcurrency') || has('TooManyRequests'))
    return explain(
      'throttled',
      `Microsoft Graph is throttling requests for ${mailbox} (429). The scan backs off and continues on its own; ` +
        'if it persists, other apps may be using the same mailbox heavily.',
      true,
    );
  if (has('MailboxNotEnabledForRESTAPI'))
    return explain(
      'mailboxUnreachable',
      `Graph cannot reach ${mailbox} (MailboxNotEnabledForRESTAPI): it is on-premises, not yet provisioned, or ` +
        'an unlicensed user mailbox. Use an Exchange Online shared mailbox or a licensed user mailbox.',
    );
  if (has('ErrorInvalidUser') || (has('ResourceNotFound') && (error.status === 404 || error.status === undefined)))
    return explain(
      'mailboxUnreachable',
      `No mailbox found for ${mailbox} in this tenant (${code || error.status}). Check the address and the ` +
        'mailbox tenant id in the configuration; a shared mailbox must exist in Exchange Online.',
    );
  if (has('Authorization_RequestDenied') || has('ErrorAccessDenied') || has('AccessDenied') || error.status === 403)
    return explain('missingPermission', permissionMessage(context, mailbox, code || String(error.status)));
  if (has('syncStateNotFound') || has('resyncRequired') || error.status === 410)
    return explain(
      'deltaExpired',
      `The change-tracking token for ${mailbox} is no longer valid (${code || error.status}); the scan falls back ` +
        'to a time-window scan and starts a new delta.',
      true,
    );
  if (error.status !== undefined && error.status >= 500)
    return explain('transient', `Microsoft Graph returned ${error.status}; will retry. ${original}`.trim(), true);
  if (has('ETIMEDOUT') || has('ECONNRESET') || has('ENOTFOUND') || has('EAI_AGAIN'))
    return explain('transient', `Network error reaching Microsoft Graph; will retry. ${original}`.trim(), true);
  return explain('unknown', original === '' ? `Unexpected error (status ${error.status ?? 'none'})` : original);
}

function permissionMessage(context: MailErrorContext, mailbox: string, code: string): string {
  const grant =
    'Grant it as an application permission with admin consent, and check that RBAC for Applications ' +
    'in Exchange Online (if used) includes this mailbox.';
  switch (context.operation) {
    case 'send':
      return `Access denied sending from ${mailbox} (${code}): the app needs the Microsoft Graph permission Mail.Send. ${grant}`;
    case 'subscribe':
      return `Access denied subscribing to ${mailbox} (${code}): the app needs Mail.Read (or Mail.ReadWrite). ${grant}`;
    default:
      return `Access denied reading or moving mail in ${mailbox} (${code}): the app needs the Microsoft Graph permission Mail.ReadWrite (Mail.Send for replies). ${grant}`;
  }
}
