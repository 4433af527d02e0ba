import type { MessagesDeltaPage, RawMessage } from '../../graph';
import { isPartialMessage, MESSAGE_SELECT_FIELDS, parseGraphMessage } from '../graphMessage';
import { isBeforeBaseline } from '../scanWindow';
import { explainFailure } from './mailErrors';
import { processMessage } from './processMessage';
import { moveTo, type ScanContext } from './scanContext';
import type { ScanLease } from './scanLease';
import { flushMoves } from './scanMoves';
import type { ScanTally } from './scanTally';

export interface PageOutcome {
  /** Every message of the page reached its final state and was moved: the round may go past the page. */
  readonly complete: boolean;
  /** Some message stopped part-way for a reason worth retrying soon (the queue delivers the scan again). */
  readonly retry: boolean;
  /** The time budget ran out part-way through the page (it is read again by the next invocation). */
  readonly outOfTime: boolean;
}

export interface PageScope {
  readonly lease: ScanLease;
  /** The `receivedDateTime` bound of the round, when it has one. */
  readonly since?: string;
  readonly outOfTime: () => boolean;
}

/**
 * One page of the inbox delta, item by item: unreadable items are recorded and skipped, partial ones fetched in
 * full first, each message processed exactly once (processMessage), and the moves their fates asked for sent
 * together. Never moves a message before its fate is recorded.
 */
export async function scanPage(
  ctx: ScanContext,
  page: MessagesDeltaPage,
  tally: ScanTally,
  scope: PageScope,
): Promise<PageOutcome> {
  let complete = true;
  let retry = false;
  for (const item of page.skipped) {
    tally.bump('unreadable');
    const reason = `skipped: unreadable delta item #${item.index}: ${item.reason}`;
    tally.fate({ messageId: item.id ?? `(item ${item.index})`, subject: '', fate: reason });
    ctx.deps.log.warn('mail scan skipped an unreadable item', { mailboxId: ctx.mailbox.id, ...item });
  }
  const full = await completePartialItems(ctx, page.items, tally);
  if (full.pending) {
    complete = false;
    retry = true;
  }
  let outOfTime = false;
  for (const raw of full.items) {
    if (scope.outOfTime()) {
      outOfTime = true;
      complete = false;
      break;
    }
    await scope.lease.keep();
    const parsed = parseGraphMessage(raw);
    if (!parsed.ok) {
      await recordUnreadable(ctx, raw, parsed.problems, tally);
      continue;
    }
    const message = parsed.value;
    if (isBeforeBaseline(message.receivedDateTime, ctx.state) || isBefore(message.receivedDateTime, scope.since)) {
      tally.bump('outsideWindow');
      continue;
    }
    const result = await processMessage(ctx, message);
    tally.result(message, result);
    // Done before (its move was lost, or someone moved it back): it belongs in the processed folder.
    if (result.kind === 'final' && result.outcome === 'alreadyDone') await moveTo(ctx, message.id, 'processed');
    if (result.kind !== 'final') complete = false;
    if (result.kind === 'retry') retry = true;
  }
  const moves = await flushMoves(ctx);
  tally.bump('moved', moves.moved);
  if (moves.gone > 0) tally.bump('goneBeforeMove', moves.gone);
  for (const failure of moves.failed) {
    complete = false;
    tally.bump('moveFailed');
    const fate = `its fate is recorded, but moving it to the ${failure.role} folder failed: ${failure.reason}`;
    tally.fate({ messageId: failure.messageId, subject: '', fate });
    ctx.deps.log.warn('mail scan could not move a message', {
      mailboxId: ctx.mailbox.id,
      messageId: failure.messageId,
      reason: failure.reason,
    });
    if (!failure.retryable) throw failure.error;
    retry = true;
  }
  return { complete, retry, outOfTime };
}

/**
 * Fetches partial delta items in full (`$batch` GETs, 20 per request). A message gone meanwhile is dropped; one
 * that could not be fetched for a reason worth retrying keeps the page for the next attempt; a configuration
 * problem (permissions) fails the scan.
 */
async function completePartialItems(ctx: ScanContext, items: readonly RawMessage[], tally: ScanTally) {
  const partial = items.filter((item) => isPartialMessage(item)).map((item) => item.id);
  if (partial.length === 0) return { items: [...items], pending: false };
  tally.bump('partialFetched', partial.length);
  const fetched = await ctx.graph.getMessages(ctx.mailbox.address, partial, { select: MESSAGE_SELECT_FIELDS });
  let pending = false;
  const out: RawMessage[] = [];
  for (const item of items) {
    const outcome = fetched.get(item.id);
    if (!outcome) out.push(item);
    else if (outcome.ok) out.push({ ...(outcome.body as Record<string, unknown>), id: item.id });
    else if (outcome.error.status === 404) tally.bump('goneBeforeRead');
    else {
      const explained = explainFailure(outcome.error, { operation: 'read', mailbox: ctx.mailbox.address });
      if (!explained.retryable) throw outcome.error;
      pending = true;
      tally.bump('retry');
      tally.fate({ messageId: item.id, subject: '', fate: `not read yet, will retry: ${explained.message}` });
    }
  }
  return { items: out, pending };
}

/** A message the rules cannot read: its reason in the mail log and the run, then moved to the failed folder. */
async function recordUnreadable(ctx: ScanContext, raw: RawMessage, problems: readonly string[], tally: ScanTally) {
  const fate = `failed: unreadable message (${problems.join('; ')})`;
  tally.bump('unreadable');
  tally.fate({ messageId: raw.id, subject: typeof raw.subject === 'string' ? raw.subject : '', fate });
  ctx.deps.log.warn('mail scan found an unreadable message', {
    mailboxId: ctx.mailbox.id,
    messageId: raw.id,
    problems,
  });
  await ctx.deps.stores.mailLog.upsert({ mailbox: ctx.mailbox.id, messageId: raw.id, fate });
  await moveTo(ctx, raw.id, 'failed');
}

function isBefore(receivedDateTime: string | null | undefined, since: string | undefined): boolean {
  if (!since || !receivedDateTime) return false;
  const received = Date.parse(receivedDateTime);
  return !Number.isNaN(received) && received < Date.parse(since);
}
