import type { Logger } from '../runtime/logger';
import { HaloOutcomeUnknownError } from './errors';
import { chunk, HALO_MAX_PAGE_SIZE } from './paging';

/**
 * Finds, for each draft, the record Halo already holds for it (or undefined): the look-up before a retry. It should
 * read in bulk (one list or report for the whole batch, not one request per draft), and match on a key the draft
 * carries (a ticket's `email_message_id`, a marker in an action's note, a contact's email).
 */
export type FindExisting<D> = (drafts: readonly D[]) => Promise<readonly (unknown | undefined)[]>;

export interface CreateOnceDeps {
  /** One non-idempotent POST of `items` (throws HaloOutcomeUnknownError when its answer is lost). */
  post(path: string, items: readonly unknown[]): Promise<unknown[]>;
  sleep(ms: number): Promise<void>;
  log: Logger;
  /** Wait this long after a lost answer before looking, so that a write still in progress has landed. */
  settleMs: number;
  /** Send, look, re-send the missing: at most this many sends per batch. */
  maxSends: number;
  stats: { recoveredByLookup: number; resentAfterLookup: number };
}

/**
 * Creates each draft exactly once, even when Halo's answers are lost: every batch (≤100) is sent once; when its
 * outcome is unknown (dropped connection, timeout, 5xx) the caller's look-up runs, the drafts it finds are taken as
 * created, and only the others are sent again. A look-up that fails, or answers that stay lost, end in
 * HaloOutcomeUnknownError (nothing is sent blindly). Results are in the drafts' order.
 */
export async function createOnce<D>(
  deps: CreateOnceDeps,
  path: string,
  drafts: readonly D[],
  find: FindExisting<D>,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const batch of chunk(drafts, HALO_MAX_PAGE_SIZE)) out.push(...(await createBatchOnce(deps, path, batch, find)));
  return out;
}

async function createBatchOnce<D>(
  deps: CreateOnceDeps,
  path: string,
  batch: readonly D[],
  find: FindExisting<D>,
): Promise<unknown[]> {
  const results: unknown[] = new Array(batch.length);
  let pending = batch.map((_, index) => index);
  let lastError: HaloOutcomeUnknownError | undefined;
  for (let send = 1; send <= deps.maxSends; send++) {
    try {
      const written = await deps.post(
        path,
        pending.map((i) => batch[i]),
      );
      // A multi-item POST is assumed to answer its records in the order sent (no public source confirms it).
      pending.forEach((index, k) => {
        results[index] = written[k];
      });
      return results;
    } catch (error) {
      if (!(error instanceof HaloOutcomeUnknownError)) throw error;
      lastError = error;
    }
    await deps.sleep(deps.settleMs);
    let found: readonly (unknown | undefined)[];
    try {
      found = await find(pending.map((i) => batch[i]!));
    } catch (lookupError) {
      throw new HaloOutcomeUnknownError({
        status: lastError.status,
        method: 'POST',
        path,
        attempts: send,
        detail: `looking the records up failed too: ${(lookupError as Error).message}`,
      });
    }
    const missing: number[] = [];
    pending.forEach((index, k) => {
      if (found[k] === undefined) missing.push(index);
      else results[index] = found[k];
    });
    deps.stats.recoveredByLookup += pending.length - missing.length;
    deps.log.warn('halo write answer lost; looked the records up before any retry', {
      path,
      sent: pending.length,
      found: pending.length - missing.length,
      resending: missing.length,
    });
    if (missing.length === 0) return results;
    deps.stats.resentAfterLookup += missing.length;
    pending = missing;
  }
  throw new HaloOutcomeUnknownError({
    status: lastError?.status ?? 0,
    method: 'POST',
    path,
    attempts: deps.maxSends,
    detail: `${pending.length} record(s) still unconfirmed after ${deps.maxSends} sends, each looked up first`,
  });
}
