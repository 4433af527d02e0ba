import { z } from 'zod';
import type { Container } from '../../app/container';
import { ConcurrencyError } from '../../storage';
import { ENTRA_SYNC_STORAGE } from './constants';
import { type Directory, EMPTY_DIRECTORY } from './directory';

/**
 * A connection's delta state, in the checkpoints table (scope `entra-sync`, key `state:<tenantId>`): the users and
 * groups delta links, the directory copy they lead to (a blob), the `$select` they were made with, when the last
 * full read was, and the last reset. Written only when an apply run's plan has been applied (afterApply), or by a
 * reset; every write is ETag-guarded, so a reset made while a run applies wins and that run's commit steps aside.
 */
export interface ConnectionState {
  readonly usersDeltaLink?: string;
  readonly groupsDeltaLink?: string;
  readonly directoryPath?: string;
  readonly selectionKey?: string;
  readonly fullReadAt?: string;
  readonly committedBy?: string;
  readonly committedAt?: string;
  readonly reset?: { readonly how: 'clear' | 'latest'; readonly at: string };
}

const stateSchema = z.looseObject({
  usersDeltaLink: z.string().optional(),
  groupsDeltaLink: z.string().optional(),
  directoryPath: z.string().optional(),
  selectionKey: z.string().optional(),
  fullReadAt: z.string().optional(),
  committedBy: z.string().optional(),
  committedAt: z.string().optional(),
  reset: z.object({ how: z.enum(['clear', 'latest']), at: z.string() }).optional(),
});

type Deps = Pick<Container, 'stores' | 'reports' | 'now'>;

const SCOPE = ENTRA_SYNC_STORAGE;
const key = (tenantId: string) => `state:${tenantId.toLowerCase()}`;

export const directoryBlobPath = (tenantId: string) =>
  `${ENTRA_SYNC_STORAGE}/state/${tenantId.toLowerCase()}/directory.json`;
export const pendingDirectoryPath = (runId: string, tenantId: string) =>
  `${ENTRA_SYNC_STORAGE}/${runId}/directory/${tenantId.toLowerCase()}.json`;

export async function readState(
  deps: Deps,
  tenantId: string,
): Promise<{ state: ConnectionState; etag: string | null }> {
  const row = await deps.stores.checkpoints.get(SCOPE, key(tenantId));
  if (!row) return { state: {}, etag: null };
  let value: unknown;
  try {
    value = JSON.parse(row.value);
  } catch {
    value = {};
  }
  const parsed = stateSchema.safeParse(value);
  return { state: parsed.success ? (parsed.data as ConnectionState) : {}, etag: row.etag };
}

/** Saves the state only if it is still at `etag` (null: only if there is none); false when someone else wrote. */
export async function writeState(
  deps: Deps,
  tenantId: string,
  state: ConnectionState,
  etag: string | null,
): Promise<boolean> {
  try {
    await deps.stores.checkpoints.put(SCOPE, key(tenantId), JSON.stringify(state), etag);
    return true;
  } catch (error) {
    if (error instanceof ConcurrencyError) return false;
    throw error;
  }
}

export async function readDirectory(deps: Deps, path: string | undefined): Promise<Directory | undefined> {
  if (!path) return undefined;
  const blob = await deps.reports.get(path);
  if (!blob) return undefined;
  const parsed = JSON.parse(blob.content.toString('utf8')) as Partial<Directory>;
  return {
    users: parsed.users ?? {},
    groups: parsed.groups ?? {},
    ...(parsed.licences ? { licences: parsed.licences } : {}),
  };
}

export async function writeDirectory(deps: Deps, path: string, directory: Directory): Promise<void> {
  await deps.reports.put(path, JSON.stringify(directory), 'application/json');
}

export { EMPTY_DIRECTORY };
