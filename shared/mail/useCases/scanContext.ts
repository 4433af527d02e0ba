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
  /** Set when a folder id was looked up, so that the scan saves it. */
  foldersChanged: boolean;
}

export type FolderRole = 'inbox' | 'processed' | 'failed';

/** The Graph id of a mailbox folder: cached in the checkpoint, created when missing (one request the first time). */
export async function folderId(ctx: ScanContext, role: FolderRole): Promise<string> {
  const name = ctx.mailbox.folders[role];
  if (role === 'inbox' && name.toLowerCase() === 'inbox') return 'inbox';
  const cacheKey = `${role}:${name.toLowerCase()}`;
  const cached = ctx.state.folders[cacheKey];
  if (cached) return cached;
  const folder = await ctx.graph.ensureMailFolder(ctx.mailbox.address, name);
  ctx.state.folders[cacheKey] = folder.id;
  ctx.foldersChanged = true;
  return folder.id;
}

/** Moves a message; a folder id that no longer exists (folder deleted or renamed) is looked up again once. */
export async function moveTo(ctx: ScanContext, messageId: string, role: Exclude<FolderRole, 'inbox'>): Promise<void> {
  const destination = await folderId(ctx, role);
  try {
    await ctx.graph.moveMessage(ctx.mailbox.address, messageId, destination);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const cacheKey = `${role}:${ctx.mailbox.folders[role].toLowerCase()}`;
    if (status !== 404 || !ctx.state.folders[cacheKey]) throw error;
    delete ctx.state.folders[cacheKey];
    ctx.foldersChanged = true;
    await ctx.graph.moveMessage(ctx.mailbox.address, messageId, await folderId(ctx, role));
  }
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
