import { z } from 'zod';
import { tenantId } from '../../config/integration/common';
import type { SyncDefinition } from './definition';

/**
 * One message on a sync's queue: sync this source within that run, in that mode. `kind` names the sync; each
 * sync has its own queue, so it only confirms it (messages queued before it existed have none).
 */
export function sourceMessageSchema(sync: Pick<SyncDefinition, 'kind' | 'modes'>) {
  return z
    .object({
      runId: z.string().trim().min(1).max(200),
      tenantId,
      mode: z.enum(sync.modes),
      kind: z.literal(sync.kind).optional(),
    })
    .strict();
}

export interface SourceMessage {
  runId: string;
  tenantId: string;
  mode: string;
  kind?: string;
}

/** `POST /api/sync/{kind}` (and `POST /api/tenant-sync`, and the CLI): every source or one, in a mode. */
export function startRequestSchema(sync: Pick<SyncDefinition, 'modes'>) {
  return z
    .object({
      tenantId: tenantId.optional(),
      mode: z.enum(sync.modes).optional(),
    })
    .strict();
}

export interface StartRequest {
  tenantId?: string;
  mode?: string;
}
