import { z } from 'zod';
import { tenantId as tenantIdSchema } from '../../config/integration/common';
import { redact } from '../../runtime/redact';
import type { SyncDeps } from '../engine/definition';
import { connectionOf, graphForConnection } from './connectionGraph';
import { GROUPS_DELTA, groupsSelect, latestLink, USERS_DELTA } from './readDirectory';
import { selectionKey, userSelection } from './selectFields';
import { readState, writeState } from './state';

/** `clear`: the next run reads the whole directory; `latest`: it starts from now (`$deltatoken=latest`). */
export const RESET_KINDS = ['clear', 'latest'] as const;
export type ResetHow = (typeof RESET_KINDS)[number];

export const resetRequestSchema = z.object({ tenantId: tenantIdSchema, how: z.enum(RESET_KINDS) }).strict();
export type ResetRequest = z.infer<typeof resetRequestSchema>;

export type ResetResult =
  | { ok: true; tenantId: string; connection: string; how: ResetHow; message: string }
  | { ok: false; reason: 'unknownConnection' | 'noDirectoryCopy' | 'graphFailed'; message: string };

/**
 * Resets a connection's delta (Halo's "Reset Deltas": clear, or get the latest). The HTTP route, the CLI and the
 * console call this. `latest` asks Graph for links that start now, keeping the directory copy: changes made before
 * are skipped until the next full read; it needs a copy (a first read must be full). The state row is written
 * under its ETag; a run applying meanwhile leaves its own links unstored (the reset wins).
 */
export async function resetEntraDelta(
  deps: Pick<SyncDeps, 'config' | 'graph' | 'graphForApp' | 'secrets' | 'stores' | 'reports' | 'now' | 'log'>,
  request: ResetRequest,
): Promise<ResetResult> {
  const connection = connectionOf(deps.config.entraSync.connections, request.tenantId);
  if (!connection) {
    return {
      ok: false,
      reason: 'unknownConnection',
      message: `tenant ${request.tenantId} has no Entra connection (entraSync.connections)`,
    };
  }
  const at = deps.now().toISOString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const { state, etag } = await readState(deps, connection.tenantId);
    let next = { ...state, reset: { how: request.how, at } };
    if (request.how === 'clear') {
      const { usersDeltaLink: _u, groupsDeltaLink: _g, ...rest } = next;
      next = rest;
    } else {
      if (!state.directoryPath) {
        return {
          ok: false,
          reason: 'noDirectoryCopy',
          message: `connection "${connection.name}" has no directory copy yet: its first run must read the whole directory (use clear, or just run it)`,
        };
      }
      const selection = userSelection(connection);
      try {
        const graph = await graphForConnection(deps, connection);
        next = {
          ...next,
          usersDeltaLink: await latestLink(graph, USERS_DELTA, selection.select),
          groupsDeltaLink: await latestLink(graph, GROUPS_DELTA, groupsSelect()),
          selectionKey: selectionKey(selection),
        };
      } catch (error) {
        return { ok: false, reason: 'graphFailed', message: redact((error as Error).message) };
      }
    }
    if (await writeState(deps, connection.tenantId, next, etag)) {
      deps.log.info('Entra ID sync: delta reset', { tenantId: connection.tenantId, how: request.how });
      return {
        ok: true,
        tenantId: connection.tenantId,
        connection: connection.name,
        how: request.how,
        message:
          request.how === 'clear'
            ? `the next run of "${connection.name}" reads the whole directory`
            : `the next run of "${connection.name}" reads only what changes from now on`,
      };
    }
  }
  throw new Error(`the delta state of ${connection.tenantId} kept changing while it was reset; try again`);
}
