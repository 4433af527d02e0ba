import type { GraphAccessError } from '../../graph';
import { explainFailure } from './mailErrors';
import { type FolderRole, folderCacheKey, folderId, type ScanContext } from './scanContext';

export interface MoveFailure {
  readonly messageId: string;
  readonly role: Exclude<FolderRole, 'inbox'>;
  readonly reason: string;
  readonly retryable: boolean;
  readonly error: GraphAccessError;
}

export interface MovesReport {
  readonly moved: number;
  /** Already gone from the inbox (moved or deleted by someone else meanwhile): nothing left to do. */
  readonly gone: number;
  readonly failed: MoveFailure[];
}

/**
 * Sends the moves a page's messages asked for (their fates are recorded first) through `$batch`, 20 per request.
 * A destination that no longer exists (folder deleted or renamed: 404 on a cached folder id) is looked up again
 * once and those moves are sent again; a message still not found is gone.
 */
export async function flushMoves(ctx: ScanContext): Promise<MovesReport> {
  const pending = [...ctx.moves];
  ctx.moves.clear();
  if (pending.length === 0) return { moved: 0, gone: 0, failed: [] };
  let moved = 0;
  let gone = 0;
  const failed: MoveFailure[] = [];
  let round = pending;
  for (let attempt = 0; round.length > 0; attempt++) {
    const destinations = new Map<string, string>();
    for (const [, role] of round) destinations.set(role, await folderId(ctx, role));
    const outcomes = await ctx.graph.moveMessages(
      ctx.mailbox.address,
      round.map(([messageId, role]) => ({ messageId, destinationId: destinations.get(role)! })),
    );
    const notFound: typeof round = [];
    for (const [messageId, role] of round) {
      const outcome = outcomes.get(messageId)!;
      if (outcome.ok) moved++;
      else if (outcome.error.status === 404) notFound.push([messageId, role]);
      else {
        const explained = explainFailure(outcome.error, { operation: 'move', mailbox: ctx.mailbox.address });
        failed.push({
          messageId,
          role,
          reason: explained.message,
          retryable: explained.retryable,
          error: outcome.error,
        });
      }
    }
    const staleFolders = attempt === 0 ? forgetCachedFolders(ctx, new Set(notFound.map(([, role]) => role))) : [];
    round = notFound.filter(([, role]) => staleFolders.includes(role));
    gone += notFound.length - round.length;
  }
  return { moved, gone, failed };
}

/** Drops the cached ids of these folders (they may have been deleted); returns the roles that had one. */
function forgetCachedFolders(ctx: ScanContext, roles: Set<Exclude<FolderRole, 'inbox'>>) {
  const forgotten: Exclude<FolderRole, 'inbox'>[] = [];
  for (const role of roles) {
    const cacheKey = folderCacheKey(ctx, role);
    if (!ctx.state.folders[cacheKey]) continue;
    delete ctx.state.folders[cacheKey];
    ctx.foldersChanged = true;
    forgotten.push(role);
  }
  return forgotten;
}
