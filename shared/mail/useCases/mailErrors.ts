import { GraphAccessError } from '../../graph';
import { HaloApiError, HaloReportError, HaloResponseError } from '../../halo';
import { explainMailError, type MailErrorContext } from '../errors';

export interface ExplainedFailure {
  readonly message: string;
  /** Trying again later may succeed without anyone changing anything. */
  readonly retryable: boolean;
}

/** Whether an error came from Halo or Graph (and can be explained), rather than from our own code or storage. */
export function isServiceError(error: unknown): boolean {
  return (
    error instanceof GraphAccessError ||
    error instanceof HaloApiError ||
    error instanceof HaloResponseError ||
    error instanceof HaloReportError
  );
}

/** A Halo or Graph failure in words for the mail log and the run status (never a stack trace, secrets masked). */
export function explainFailure(error: unknown, context: MailErrorContext = {}): ExplainedFailure {
  if (error instanceof HaloApiError) {
    const retryable = error.status === 0 || error.status === 429 || error.status >= 500;
    return { message: error.message, retryable };
  }
  if (error instanceof HaloResponseError || error instanceof HaloReportError)
    return { message: error.message, retryable: false };
  if (error instanceof GraphAccessError) {
    // A throttled token endpoint's own message says until when; the mail wording would lose that.
    if (error.retryAt) return { message: error.message, retryable: true };
    const explained = explainMailError(
      { status: error.status, code: error.graphCode ?? error.code, message: error.message },
      context,
    );
    const message = explained.kind === 'unknown' ? error.message : explained.message;
    return { message, retryable: error.retryable || explained.retryable };
  }
  const explained = explainMailError({ message: error instanceof Error ? error.message : String(error) }, context);
  return { message: explained.message, retryable: explained.retryable };
}
