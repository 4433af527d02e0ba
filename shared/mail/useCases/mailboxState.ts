import { z } from 'zod';
import type { CheckpointStore } from '../../storage';
import type { MailboxCheckpoint } from '../scanWindow';

/** Checkpoint scope/key of a mailbox's scan state. */
export const MAILBOX_STATE_SCOPE = 'mail';
const KEY = 'scan';

const roundSchema = z.object({
  mode: z.enum(['baseline', 'initial', 'delta', 'window']),
  startedAt: z.string(),
  since: z.string().optional(),
  link: z.string().optional(),
  pages: z.number().int().nonnegative().default(0),
});

const stateSchema = z.object({
  deltaLink: z.string().optional(),
  baselineAt: z.string().optional(),
  lastSuccessfulScanAt: z.string().optional(),
  round: roundSchema.optional(),
  /** Graph folder ids by role, so that an idle scan needs no folder look-up. */
  folders: z.record(z.string(), z.string()).default({}),
});

export type MailboxState = MailboxCheckpoint & { folders: Record<string, string> };

export interface LoadedState {
  readonly state: MailboxState;
  /** null: no row yet (the first save inserts). */
  readonly etag: string | null;
}

export async function loadMailboxState(checkpoints: CheckpointStore, mailboxId: string): Promise<LoadedState> {
  const row = await checkpoints.get(`${MAILBOX_STATE_SCOPE}:${mailboxId}`, KEY);
  if (!row) return { state: { folders: {} }, etag: null };
  let parsed: z.ZodSafeParseResult<z.output<typeof stateSchema>>;
  try {
    parsed = stateSchema.safeParse(JSON.parse(row.value));
  } catch {
    parsed = stateSchema.safeParse(undefined);
  }
  // An unreadable row is replaced on the next save (it is only a resume point: the window fallback covers it).
  return { state: parsed.success ? parsed.data : { folders: {} }, etag: row.etag };
}

/** ETag-guarded: throws ConcurrencyError when another scan saved in between (the caller keeps theirs). */
export async function saveMailboxState(
  checkpoints: CheckpointStore,
  mailboxId: string,
  state: MailboxState,
  etag: string | null,
): Promise<string> {
  const saved = await checkpoints.put(`${MAILBOX_STATE_SCOPE}:${mailboxId}`, KEY, JSON.stringify(state), etag);
  return saved.etag;
}
