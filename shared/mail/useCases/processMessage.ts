import type { ActionDraft, AttachmentDraft, FindExisting, TicketDraft } from '../../halo';
import { HaloApiError, HaloOutcomeUnknownError } from '../../halo';
import { type AttachmentSelection, type GraphAttachment, selectAttachments } from '../attachments';
import { classifyMessage } from '../classify';
import { mailDedupeKeys } from '../dedupe';
import { addressOf, type GraphMessage } from '../graphMessage';
import { mailLogEntry } from '../mailLog';
import { type MailPlan, planMessage } from '../plan';
import { findTicketTag } from '../ticketTag';
import { explainFailure, isServiceError } from './mailErrors';
import { actionOfMessage, attachmentsOnTicket, ticketOfMessage } from './recoverTicket';
import { moveTo, type ScanContext, senderUser } from './scanContext';

export const MAIL_DEDUPE_SCOPE = 'mail';
/** A claim held this long without news is reported as recovering, no longer as "being processed by another scan". */
const RECOVERING_AFTER_MS = 30_000;

export type MessageOutcome = 'created' | 'appended' | 'ignored' | 'duplicate' | 'failed';

export type MessageResult =
  /** Reached its final state (or already had): the scan may move past it. */
  | { kind: 'final'; outcome: MessageOutcome | 'alreadyDone'; fate: string; ticketId?: number }
  /** Another scan is handling it right now: the checkpoint must not move past it. */
  | { kind: 'deferred'; fate: string }
  /**
   * A scan stopped part-way through its Halo write (crashed, or Halo's answer was lost): the claim is kept so that
   * nothing is sent again until a later scan has looked the ticket or action up (after the mailbox's
   * claimStaleSeconds). `ageMs`: how long it has been recovering.
   */
  | { kind: 'recovering'; fate: string; ageMs: number }
  /** Stopped part-way by a failure worth retrying; the next attempt resumes where this one stopped. */
  | { kind: 'retry'; fate: string; ticketId?: number };

interface ClaimData {
  mailboxId: string;
  messageId: string;
  subject: string;
  /** Set when a Halo write's outcome became unknown: what was being done, and since when. */
  inDoubt?: { what: string; since: string };
}

interface Progress {
  stage: 'actioned' | 'attached' | 'done';
  /** Set before the attachments are first sent, so that a later attempt looks for them in Halo first. */
  attachmentsTried?: boolean;
  mailboxId: string;
  messageId: string;
  outcome: MessageOutcome;
  fate: string;
  ticketId?: number;
  actionId?: number;
}

/**
 * One new message, exactly once across retries, crashes and racing scans: claim its dedupe key, act in Halo, record
 * the ticket id in the claim, copy the attachments, move the mail, then mark it done. A later attempt that finds the
 * claim part-way resumes from the recorded stage instead of acting again.
 */
export async function processMessage(ctx: ScanContext, message: GraphMessage): Promise<MessageResult> {
  const { dedupe } = ctx.deps.stores;
  const [key] = mailDedupeKeys(ctx.mailbox.id, message) as [string];
  const claim = await dedupe.claim(MAIL_DEDUPE_SCOPE, key, claimData(ctx, message), {
    staleAfterMs: staleClaimMs(ctx),
  });
  if (!claim.claimed) {
    const existing = claim.existing;
    if (existing.status === 'claimed') return heldElsewhere(ctx, message, existing);
    const progress = existing.result as Progress;
    const sameMessage = progress.mailboxId === ctx.mailbox.id && progress.messageId === message.id;
    if (sameMessage && progress.stage === 'done') return { kind: 'final', outcome: 'alreadyDone', fate: progress.fate };
    if (sameMessage) return guarded(ctx, message, key, () => resume(ctx, message, key, progress));
    return guarded(ctx, message, key, () => ignoreDuplicate(ctx, message, progress));
  }
  return guarded(ctx, message, key, () => handleNew(ctx, message, key, claim.tookOver));
}

/**
 * One create, exactly once: a claim taken over from a scan that stopped part-way looks first (the write may have
 * landed); otherwise it sends, and createOnce looks before any re-send.
 */
async function writeOnce<D, T>(
  tookOver: boolean,
  find: FindExisting<D>,
  draft: D,
  create: (drafts: readonly D[], find: FindExisting<D>) => Promise<T[]>,
): Promise<T[]> {
  if (tookOver) {
    const [found] = await find([draft]);
    if (found !== undefined) return [found as T];
  }
  return create([draft], find);
}

function claimData(ctx: ScanContext, message: GraphMessage): ClaimData {
  return { mailboxId: ctx.mailbox.id, messageId: message.id, subject: message.subject ?? '' };
}

function staleClaimMs(ctx: ScanContext): number {
  return ctx.mailbox.claimStaleSeconds * 1000;
}

/**
 * A Halo write whose outcome is unknown even after looking (or whose look-up failed): the claim stays, marked in
 * doubt, so no scan sends anything until the claim goes stale and a later scan looks again.
 */
async function inDoubt(
  ctx: ScanContext,
  message: GraphMessage,
  key: string,
  data: ClaimData,
  what: string,
  error: HaloOutcomeUnknownError,
): Promise<MessageResult> {
  const since = ctx.deps.now();
  const marked = await ctx.deps.stores.dedupe.annotate(MAIL_DEDUPE_SCOPE, key, {
    ...data,
    inDoubt: { what, since: since.toISOString() },
  });
  if (!marked) ctx.deps.log.warn('mail claim changed while its write was in doubt', { messageId: message.id });
  const fate = recoveringFate(`${what} was interrupted (${error.message})`, 0, staleClaimMs(ctx));
  ctx.deps.log.warn('mail write in doubt; kept claimed until Halo has been checked', {
    mailboxId: ctx.mailbox.id,
    messageId: message.id,
    what,
  });
  await writeLog(ctx, message, fate);
  return { kind: 'recovering', fate, ageMs: 0 };
}

/** A claim another scan holds: being processed right now, or recovering (stopped part-way, or in doubt). */
async function heldElsewhere(
  ctx: ScanContext,
  message: GraphMessage,
  existing: { claimedAt: string; data: unknown },
): Promise<MessageResult> {
  const doubt = (existing.data as ClaimData | null)?.inDoubt;
  const nowMs = ctx.deps.now().getTime();
  const claimedMs = Date.parse(existing.claimedAt);
  const ageMs = Math.max(0, nowMs - Date.parse(doubt?.since ?? existing.claimedAt));
  const staleMs = staleClaimMs(ctx);
  if (!doubt && ageMs < Math.min(RECOVERING_AFTER_MS, staleMs / 2)) {
    return { kind: 'deferred', fate: 'being processed by another scan' };
  }
  const what = doubt ? `${doubt.what} was interrupted` : 'a scan stopped while processing it';
  const fate = recoveringFate(what, ageMs, Math.max(0, claimedMs + staleMs - nowMs));
  await writeLog(ctx, message, fate);
  return { kind: 'recovering', fate, ageMs };
}

function recoveringFate(what: string, ageMs: number, takeoverInMs: number): string {
  return `recovering for ${seconds(ageMs)}: ${what}; nothing is sent to Halo again until a scan has looked it up there (in ${seconds(takeoverInMs)})`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

async function handleNew(ctx: ScanContext, message: GraphMessage, key: string, tookOver: boolean) {
  const { mailbox } = ctx;
  const classification = classifyMessage(message, mailbox, { ownMailboxAddresses: ctx.ownAddresses });
  let taggedTicket: { id: number; exists: boolean } | undefined;
  let sender: Awaited<ReturnType<typeof senderUser>>;
  if (classification.action === 'process') {
    const tagged = findTicketTag(message.subject, mailbox.tagPattern, { matchLegacy: mailbox.matchLegacyTag });
    if (tagged !== undefined) taggedTicket = { id: tagged, exists: await ticketExists(ctx, tagged) };
    sender = await senderUser(ctx, addressOf(message.from) ?? addressOf(message.sender));
  }
  const plan = planMessage({
    message,
    mailbox,
    classification,
    ...(taggedTicket ? { taggedTicket } : {}),
    ...(sender ? { senderUser: sender } : {}),
    fallback: {
      clientId: mailbox.ticket.fallbackClientId,
      ...(mailbox.ticket.fallbackUserId !== undefined ? { userId: mailbox.ticket.fallbackUserId } : {}),
      ...(mailbox.ticket.fallbackSiteId !== undefined ? { siteId: mailbox.ticket.fallbackSiteId } : {}),
    },
    ownMailboxAddresses: ctx.ownAddresses,
  });
  if (plan.kind === 'ignore') {
    await moveTo(ctx, message.id, 'processed');
    const fate = logged(ctx, message, plan);
    await ctx.deps.stores.dedupe.complete(MAIL_DEDUPE_SCOPE, key, progress(ctx, message, 'done', 'ignored', fate));
    await writeLog(ctx, message, fate);
    return { kind: 'final' as const, outcome: 'ignored' as const, fate };
  }
  let ticketId: number;
  let actionId: number | undefined;
  try {
    if (plan.kind === 'createTicket') {
      // HaloTicketDraft holds fields of Halo's Faults schema (reportedby, email_message_id) beyond TicketDraft.
      const draft = plan.draft as unknown as TicketDraft;
      const [ticket] = await writeOnce(tookOver, ticketOfMessage(ctx, message), draft, (drafts, find) =>
        ctx.deps.halo.createTicketsOnce(drafts, find),
      );
      if (!ticket) throw new Error('Halo answered POST /Tickets without the created ticket');
      ticketId = ticket.id;
    } else {
      const draft = plan.action as unknown as ActionDraft;
      const [action] = await writeOnce(tookOver, actionOfMessage(ctx, message), draft, (drafts, find) =>
        ctx.deps.halo.addActionsOnce(drafts, find),
      );
      ticketId = plan.ticketId;
      actionId = action?.id;
    }
  } catch (error) {
    if (!(error instanceof HaloOutcomeUnknownError)) throw error;
    const what = plan.kind === 'createTicket' ? 'creating its ticket' : `appending it to ticket ${plan.ticketId}`;
    return inDoubt(ctx, message, key, claimData(ctx, message), what, error);
  }
  const outcome = plan.kind === 'createTicket' ? 'created' : 'appended';
  const fate = logged(ctx, message, plan, ticketId);
  const actioned = {
    ...progress(ctx, message, 'actioned', outcome, fate),
    ticketId,
    ...(actionId ? { actionId } : {}),
  };
  await ctx.deps.stores.dedupe.complete(MAIL_DEDUPE_SCOPE, key, actioned);
  return resume(ctx, message, key, actioned);
}

/** Continues a message whose Halo write is done: attachments, then the move, then done. */
async function resume(ctx: ScanContext, message: GraphMessage, key: string, state: Progress): Promise<MessageResult> {
  let current = state;
  if (current.stage === 'actioned') {
    const lookFirst = current.attachmentsTried === true;
    if (message.hasAttachments && !lookFirst) {
      current = { ...current, attachmentsTried: true };
      await ctx.deps.stores.dedupe.complete(MAIL_DEDUPE_SCOPE, key, current);
    }
    const note = await copyAttachments(ctx, message, key, current, lookFirst);
    current = { ...current, stage: 'attached', fate: note ? `${current.fate}; ${note}` : current.fate };
    await ctx.deps.stores.dedupe.complete(MAIL_DEDUPE_SCOPE, key, current);
  }
  await moveTo(ctx, message.id, 'processed');
  current = { ...current, stage: 'done' };
  await ctx.deps.stores.dedupe.complete(MAIL_DEDUPE_SCOPE, key, current);
  await writeLog(ctx, message, current.fate, current.ticketId);
  return { kind: 'final', outcome: current.outcome, fate: current.fate, ...ticketOf(current.ticketId) };
}

/** The same mail again (same Message-ID, another copy or another of our mailboxes): moved, never a second ticket. */
async function ignoreDuplicate(ctx: ScanContext, message: GraphMessage, original: Progress): Promise<MessageResult> {
  await moveTo(ctx, message.id, 'processed');
  const where = original.ticketId !== undefined ? ` (ticket ${original.ticketId})` : '';
  const fate = `ignored: duplicate of a message already processed${where}`;
  await writeLog(ctx, message, fate, original.ticketId);
  return { kind: 'final', outcome: 'duplicate', fate, ...ticketOf(original.ticketId) };
}

/**
 * Turns Halo and Graph failures into the message's fate. Worth retrying → left in the inbox for the next attempt
 * (a claim with nothing done yet is released). Not → moved to the failed folder with the reason in the mail log.
 * Anything else (our storage, a bug) propagates and fails the scan.
 */
async function guarded(
  ctx: ScanContext,
  message: GraphMessage,
  key: string,
  work: () => Promise<MessageResult>,
): Promise<MessageResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StepBusyError) return { kind: 'deferred', fate: error.message };
    if (!isServiceError(error)) throw error;
    const record = await ctx.deps.stores.dedupe.get(MAIL_DEDUPE_SCOPE, key);
    const started = record?.status === 'completed' ? (record.result as Progress) : undefined;
    const explained = explainFailure(error, { operation: 'read', mailbox: ctx.mailbox.address });
    if (explained.retryable || started) {
      if (!started) await ctx.deps.stores.dedupe.release(MAIL_DEDUPE_SCOPE, key);
      const fate = started
        ? `${started.fate}; not finished, will retry: ${explained.message}`
        : `not processed yet, will retry: ${explained.message}`;
      await writeLog(ctx, message, fate, started?.ticketId);
      return { kind: 'retry', fate, ...ticketOf(started?.ticketId) };
    }
    const fate = `failed: ${explained.message}`;
    try {
      await moveTo(ctx, message.id, 'failed');
    } catch (moveError) {
      if (!isServiceError(moveError)) throw moveError;
      await ctx.deps.stores.dedupe.release(MAIL_DEDUPE_SCOPE, key);
      const why = explainFailure(moveError, { operation: 'move', mailbox: ctx.mailbox.address }).message;
      await writeLog(ctx, message, `${fate}; moving it to the failed folder failed too: ${why}`);
      return { kind: 'retry', fate };
    }
    // Released, so that the mail is processed afresh if someone moves it back to the inbox after fixing the cause.
    await ctx.deps.stores.dedupe.release(MAIL_DEDUPE_SCOPE, key);
    await writeLog(ctx, message, fate);
    return { kind: 'final', outcome: 'failed', fate };
  }
}

async function ticketExists(ctx: ScanContext, id: number): Promise<boolean> {
  try {
    await ctx.deps.halo.getTicket(id, { includeDetails: false });
    return true;
  } catch (error) {
    if (error instanceof HaloApiError && error.status === 404) return false;
    throw error;
  }
}

/** Thrown when another attempt is copying this message's attachments right now. */
class StepBusyError extends Error {}

const ATTACHMENT_SCOPE = 'mail-attachments';

/**
 * Copies the attachments once, even when a retry resumes this message while the first attempt is still running:
 * the step has its own claim, released if the copy fails so that the next attempt can do it.
 */
async function copyAttachments(
  ctx: ScanContext,
  message: GraphMessage,
  key: string,
  state: Progress,
  lookFirst: boolean,
) {
  if (!message.hasAttachments || state.ticketId === undefined) return undefined;
  const { dedupe } = ctx.deps.stores;
  const step = await dedupe.claim(ATTACHMENT_SCOPE, key, null, { staleAfterMs: staleClaimMs(ctx) });
  if (!step.claimed) {
    if (step.existing.status === 'completed') return (step.existing.result as string | null) ?? undefined;
    throw new StepBusyError('attachments are being copied by another attempt');
  }
  try {
    const note = await copyAttachmentFiles(ctx, message, state, state.ticketId, lookFirst);
    await dedupe.complete(ATTACHMENT_SCOPE, key, note ?? null);
    return note;
  } catch (error) {
    await dedupe.release(ATTACHMENT_SCOPE, key);
    throw error;
  }
}

/** An earlier attempt may have attached some files already (`lookFirst`): those are looked up, not sent again. */
async function copyAttachmentFiles(
  ctx: ScanContext,
  message: GraphMessage,
  state: Progress,
  ticketId: number,
  lookFirst: boolean,
) {
  const listed = (await ctx.graph.listAttachments(ctx.mailbox.address, message.id)) as GraphAttachment[];
  const selection: AttachmentSelection = selectAttachments(listed, ctx.mailbox.maxAttachmentBytes, {
    includeInline: ctx.mailbox.includeInlineAttachments,
  });
  const drafts: AttachmentDraft[] = [];
  const skipped = selection.skip.map((s) => `${s.name} (${s.detail})`);
  for (const attachment of selection.add) {
    if (!attachment.contentBytes) {
      skipped.push(`${attachment.name ?? attachment.id} (no content in the listing)`);
      continue;
    }
    drafts.push({
      ticket_id: ticketId,
      ...(state.actionId !== undefined ? { action_id: state.actionId } : {}),
      filename: attachment.name?.trim() || `attachment-${drafts.length + 1}`,
      content: Buffer.from(attachment.contentBytes, 'base64'),
    });
  }
  if (drafts.length > 0) {
    const sizes = new Map(drafts.map((d) => [d.filename, Buffer.byteLength(d.content)] as const));
    const find = attachmentsOnTicket(ctx, sizes);
    let missing = drafts;
    if (lookFirst) {
      const found = await find(drafts);
      missing = drafts.filter((_, i) => found[i] === undefined);
    }
    if (missing.length > 0) await ctx.deps.halo.addAttachmentsOnce(missing, find);
  }
  const parts = [
    drafts.length > 0 ? `${drafts.length} attachment(s) copied` : '',
    skipped.length > 0 ? `skipped ${skipped.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function progress(
  ctx: ScanContext,
  message: GraphMessage,
  stage: Progress['stage'],
  outcome: MessageOutcome,
  fate: string,
) {
  return { stage, mailboxId: ctx.mailbox.id, messageId: message.id, outcome, fate } satisfies Progress;
}

function logged(ctx: ScanContext, message: GraphMessage, plan: MailPlan, ticketId?: number): string {
  return mailLogEntry(message.id, message.internetMessageId, plan, ticketId, { mailboxId: ctx.mailbox.id }).fate;
}

async function writeLog(ctx: ScanContext, message: GraphMessage, fate: string, ticketId?: number): Promise<void> {
  const from = addressOf(message.from) ?? addressOf(message.sender);
  await ctx.deps.stores.mailLog.upsert({
    mailbox: ctx.mailbox.id,
    messageId: message.id,
    fate,
    ...ticketOf(ticketId),
    ...(message.subject ? { subject: message.subject } : {}),
    ...(from ? { from } : {}),
    ...(message.receivedDateTime ? { receivedAt: message.receivedDateTime } : {}),
    ...(message.internetMessageId ? { detail: `Message-ID ${message.internetMessageId}` } : {}),
  });
}

function ticketOf(ticketId: number | undefined): { ticketId?: number } {
  return ticketId === undefined ? {} : { ticketId };
}
