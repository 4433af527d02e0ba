import type { Container } from '../../app/container';
import type { MailboxConfig } from '../../config/integration/mailboxes';
import type { TenantGraphClient } from '../../graph';
import type { HaloSenderUser } from '../plan';
import type { MailboxState } from './mailboxState';

/** What one scan of one mailbox shares between its messages (caches live only for the scan). */
export interface ScanContext {
  readonly deps: Pick<Container, 'config' | 'halo' | 'stores' | 'log' | 'now'>;
  readonly mailbox: MailboxConfig;
  readonly graph: TenantGraphClient;
  readonly state: MailboxState;
  readonly ownAddresses: readonly string[];
  /** Halo users by lowercased email address (null: not a Halo user). */
  readonly users: Map<string, HaloSenderUser | null>;
  /** Moves asked for since the last flush, by message id (see moveTo). */
  readonly moves: Map<string, Exclude<FolderRole, 'inbox'>>;
  /** Set when a folder id was looked up, so that the scan saves it. */
  foldersChanged: boolean;
}

export type FolderRole = 'inbox' | 'processed' | 'failed';

export function folderCacheKey(ctx: ScanContext, role: FolderRole): string {
  return `${role}:${ctx.mailbox.folders[role].toLowerCase()}`;
}

/** The Graph id of a mailbox folder: cached in the checkpoint, created when missing (one request the first time). */
export async function folderId(ctx: ScanContext, role: FolderRole): Promise<string> {
  const name = ctx.mailbox.folders[role];
  if (role === 'inbox' && name.toLowerCase() === 'inbox') return 'inbox';
  const cacheKey = folderCacheKey(ctx, role);
  const cached = ctx.state.folders[cacheKey];
  if (cached) return cached;
  const folder = await ctx.graph.ensureMailFolder(ctx.mailbox.address, name);
  ctx.state.folders[cacheKey] = folder.id;
  ctx.foldersChanged = true;
  return folder.id;
}

/**
 * Asks for a message to be moved once its fate is recorded. The scan sends the moves of a page together through
 * `$batch` (flushMoves: 20 per request instead of one each) and keeps the page for the next attempt when a move
 * fails, so a message whose fate is recorded but whose move failed is moved again later.
 */
export function moveTo(ctx: ScanContext, messageId: string, role: Exclude<FolderRole, 'inbox'>): Promise<void> {
  ctx.moves.set(messageId, role);
  return Promise.resolve();
}

/** The sender's Halo user: one `GET /Users?search=` per address per scan. */
export async function senderUser(ctx: ScanContext, address: string | undefined): Promise<HaloSenderUser | undefined> {
  if (!address) return undefined;
  const key = address.toLowerCase();
  if (ctx.users.has(key)) return ctx.users.get(key) ?? undefined;
  const found = (await ctx.deps.halo.listUsers({ search: key })).find(
    (u) => u.emailaddress?.toLowerCase() === key && u.inactive !== true && u.isgeneraluser !== true,
  );
  const user =
    found && typeof found.client_id === 'number' && typeof found.site_id === 'number'
      ? { id: found.id, client_id: found.client_id, site_id: found.site_id }
      : null;
  ctx.users.set(key, user);
  return user ?? undefined;
}
