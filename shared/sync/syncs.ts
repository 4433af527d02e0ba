import { contactSync } from './contacts/definition';
import type { SyncDefinition, SyncKind } from './engine/definition';
import { entraSync } from './entra/definition';
import { intuneSync } from './intune/definition';

/**
 * Every sync the app runs, in the order the schedule timer checks them. A new sync adds its definition here
 * (and its queue in shared/storage/names.ts): the generic functions (functions/sync*.ts) pick it up.
 */
export const SYNCS: readonly SyncDefinition[] = [contactSync, entraSync, intuneSync];

export function syncOf(kind: string): SyncDefinition | undefined {
  return SYNCS.find((sync) => sync.kind === kind);
}

/** The sync of a kind that must exist (a programming error otherwise). */
export function requireSync(kind: SyncKind): SyncDefinition {
  const sync = syncOf(kind);
  if (!sync) throw new Error(`no sync of kind ${kind} is registered`);
  return sync;
}
